using Billing.Domain.Accounts;
using Billing.Domain.Plans;

namespace Billing.Domain.Tests;

/// <summary>What a customer must do for a payment, and how long a past-due account keeps its tier.</summary>
public sealed class PaymentActionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static SubscriptionSnapshot Snapshot(SubscriptionStatus status = SubscriptionStatus.Active) =>
        new("sub_1", "cus_1", status, Tier.Starter, BillingCycle.Monthly, T0, T0.AddMonths(1), false, 1900, "usd");

    private static BillingAccount Linked()
    {
        var account = BillingAccount.Open("user-1", "ada@example.com", T0);
        account.LinkStripeCustomer("cus_1", T0);
        return account;
    }

    private static SubscriptionSnapshot PastDue(OpenInvoice? invoice) =>
        Snapshot(SubscriptionStatus.PastDue) with { OpenInvoice = invoice };

    [Test]
    public void A_past_due_account_keeps_its_tier_through_the_grace_period_while_Stripe_retries()
    {
        var account = Linked();
        account.ApplySubscription(PastDue(new OpenInvoice("in_1", "https://pay/in_1", T0.AddDays(2), T0)), T0);

        Assert.That(account.GraceEndsAt(TimeSpan.FromDays(3)), Is.EqualTo(T0.AddDays(3)));
        Assert.That(account.EffectiveTier(T0.AddDays(2), TimeSpan.FromDays(3)), Is.EqualTo(Tier.Starter));
        Assert.That(account.EffectiveTier(T0.AddDays(4), TimeSpan.FromDays(3)), Is.EqualTo(Tier.Trial));
        Assert.That(account.PendingAction(TimeSpan.FromDays(3)), Is.EqualTo(new PaymentAction(PaymentActionKind.PayInvoice, "in_1", "https://pay/in_1", T0.AddDays(3))));
    }

    [Test]
    public void Access_ends_as_soon_as_Stripe_stops_retrying_unless_the_payment_awaits_authentication()
    {
        var gaveUp = Linked();
        gaveUp.ApplySubscription(PastDue(new OpenInvoice("in_1", "https://pay/in_1", null, T0)), T0);
        var authenticating = Linked();
        authenticating.NoteAuthenticationRequired("in_1");
        authenticating.ApplySubscription(PastDue(new OpenInvoice("in_1", "https://pay/in_1", null, T0)), T0);

        Assert.That(gaveUp.EffectiveTier(T0.AddMinutes(1), TimeSpan.FromDays(3)), Is.EqualTo(Tier.Trial));
        Assert.That(authenticating.EffectiveTier(T0.AddMinutes(1), TimeSpan.FromDays(3)), Is.EqualTo(Tier.Starter));
        Assert.That(authenticating.PendingAction(TimeSpan.FromDays(3))!.Kind, Is.EqualTo(PaymentActionKind.AuthenticatePayment));
    }

    [Test]
    public void Paying_the_open_invoice_clears_the_action_even_when_the_authentication_notice_arrives_late()
    {
        var account = Linked();
        account.ApplySubscription(PastDue(new OpenInvoice("in_1", "https://pay/in_1", null, T0)), T0);
        account.ApplySubscription(Snapshot(SubscriptionStatus.Active), T0.AddMinutes(1));
        account.NoteAuthenticationRequired("in_1");

        Assert.That(account.PendingAction(TimeSpan.FromDays(3)), Is.Null);
        Assert.That(account.EffectiveTier(T0.AddMinutes(2), TimeSpan.FromDays(3)), Is.EqualTo(Tier.Starter));
    }

    [Test]
    public void A_first_payment_under_way_must_be_finished_within_Stripes_23_hours()
    {
        var account = Linked();
        account.ApplySubscription(Snapshot(SubscriptionStatus.Incomplete) with { OpenInvoice = new OpenInvoice("in_1", "https://pay/in_1", null, T0) }, T0);

        Assert.That(account.PendingAction(TimeSpan.FromDays(3))!.DueAt, Is.EqualTo(T0.AddHours(23)));
    }

    [Test]
    public void A_first_payment_that_expired_forgets_the_session_that_started_it()
    {
        var account = Linked();
        account.RecordOpenCheckout(new OpenCheckout("cs_1", Tier.Starter, BillingCycle.Monthly, "https://pay/cs_1", T0.AddHours(1)));
        account.ApplySubscription(Snapshot(SubscriptionStatus.Incomplete), T0);

        account.ApplySubscription(Snapshot(SubscriptionStatus.IncompleteExpired), T0.AddHours(23));

        Assert.That(account.OpenCheckout, Is.Null);
        Assert.That(account.HasLiveSubscription, Is.False);
    }
}
