using Billing.Domain.Accounts;
using Billing.Domain.Invoices;
using Billing.Domain.Plans;

namespace Billing.Domain.Tests;

/// <summary>Which report of a subscription is newer, by Stripe's clock of whole seconds, and what the account does with each.</summary>
public sealed class ReportOrderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static SubscriptionSnapshot Snapshot(SubscriptionStatus status = SubscriptionStatus.Active, string? latestInvoice = "in_1") =>
        new("sub_1", "cus_1", status, Tier.Starter, BillingCycle.Monthly, T0, T0.AddMonths(1), false, 1900, "usd", LatestInvoiceId: latestInvoice);

    private static BillingAccount Reflecting(SubscriptionSnapshot snapshot, DateTimeOffset at)
    {
        var account = BillingAccount.Open("user-1", "ada@example.com", T0);
        account.LinkStripeCustomer("cus_1", T0);
        account.ApplySubscription(snapshot, at);
        return account;
    }

    [Test]
    public void Nothing_applied_yet_makes_any_report_newer() =>
        Assert.That(ReportOrder.Judge(T0, null), Is.EqualTo(ReportAge.Newer));

    [TestCase(1, ReportAge.Newer)]
    [TestCase(-1, ReportAge.Older)]
    [TestCase(0, ReportAge.SameSecond)]
    public void Reports_are_ordered_by_whole_seconds(int seconds, ReportAge expected) =>
        Assert.That(ReportOrder.Judge(T0.AddSeconds(seconds), T0), Is.EqualTo(expected));

    [Test]
    public void A_fraction_a_local_clock_added_does_not_order_two_reports_of_one_second() =>
        Assert.That(ReportOrder.Judge(T0, T0.AddMilliseconds(900)), Is.EqualTo(ReportAge.SameSecond));

    [Test]
    public void An_older_report_changes_nothing()
    {
        var account = Reflecting(Snapshot(), T0);

        Assert.That(account.ApplyReported(Snapshot(SubscriptionStatus.PastDue), T0.AddSeconds(-1)), Is.EqualTo(ReportOutcome.Older));
        Assert.That(account.Status, Is.EqualTo(SubscriptionStatus.Active));
    }

    [Test]
    public void A_newer_report_is_applied_and_dates_the_account()
    {
        var account = Reflecting(Snapshot(), T0);

        Assert.That(account.ApplyReported(Snapshot(SubscriptionStatus.PastDue), T0.AddSeconds(1)), Is.EqualTo(ReportOutcome.Applied));
        Assert.That(account.LastStripeEventAt, Is.EqualTo(T0.AddSeconds(1)));
    }

    [Test]
    public void A_different_report_of_the_same_second_is_undecided_and_changes_nothing()
    {
        var account = Reflecting(Snapshot(), T0);

        Assert.That(account.ApplyReported(Snapshot(SubscriptionStatus.PastDue), T0), Is.EqualTo(ReportOutcome.Undecided));
        Assert.That(account.Status, Is.EqualTo(SubscriptionStatus.Active));
    }

    [Test]
    public void The_same_report_of_the_same_second_is_unchanged_even_when_its_invoice_view_differs()
    {
        var account = Reflecting(Snapshot() with { LatestInvoiceTotal = 1900 }, T0);

        Assert.That(account.ApplyReported(Snapshot(), T0), Is.EqualTo(ReportOutcome.Applied), "no read: only the invoice view moves");
        Assert.That(account.Status, Is.EqualTo(SubscriptionStatus.Active));
    }

    [Test]
    public void An_invoice_event_moves_the_open_invoice_only_for_the_latest_invoice()
    {
        var account = Reflecting(Snapshot(SubscriptionStatus.PastDue, latestInvoice: "in_2"), T0);
        var older = BillingInvoice.From(new InvoiceFacts("in_1", "cus_1", "sub_1", null, InvoiceStatus.Open, "usd", 1900, 0, 1900, null, null, T0.AddMonths(-1), "https://pay/in_1", null));
        var latest = BillingInvoice.From(new InvoiceFacts("in_2", "cus_1", "sub_1", null, InvoiceStatus.Open, "usd", 1900, 0, 1900, null, null, T0, "https://pay/in_2", null, 0, T0.AddDays(3)));

        Assert.That(account.NoteInvoice(older, latestCreatedAt: T0, T0), Is.False, "an older invoice is not the latest");
        Assert.That(account.NoteInvoice(latest, latestCreatedAt: null, T0), Is.True);
        Assert.That(account.OpenInvoice, Is.EqualTo(new OpenInvoice("in_2", "https://pay/in_2", T0.AddDays(3), T0)));
        Assert.That(account.PendingEvents.OfType<Billing.Domain.Accounts.Events.SubscriptionTermsUpdated>(), Is.Not.Empty, "access in the grace period hangs on it: Keycloak is told");
    }
}
