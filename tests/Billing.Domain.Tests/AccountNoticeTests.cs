using Billing.Domain.Accounts;
using Billing.Domain.Accounts.Events;
using Billing.Domain.Plans;

namespace Billing.Domain.Tests;

/// <summary>What the account's people are told: recorded only while it still holds, and never a change of state.</summary>
public sealed class AccountNoticeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static BillingAccount Account(SubscriptionStatus status, string? openInvoice = null)
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-30));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-30));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", status, Tier.Starter, BillingCycle.Monthly, Now.AddDays(-1), Now.AddDays(29), false, 1900, "usd",
            OpenInvoice: openInvoice is null ? null : new OpenInvoice(openInvoice, "https://pay", Now.AddDays(2), Now.AddDays(-1))), Now.AddDays(-1));
        account.ClearPendingEvents();
        return account;
    }

    [Test]
    public void A_failed_payment_is_told_while_its_invoice_is_open_and_not_waiting_on_3D_Secure()
    {
        var open = Account(SubscriptionStatus.PastDue, openInvoice: "in_1");
        var paid = Account(SubscriptionStatus.Active);
        var authenticating = Account(SubscriptionStatus.PastDue, openInvoice: "in_1");
        authenticating.NoteAuthenticationRequired("in_1");

        Assert.That(open.NotePaymentFailed("in_1", "evt_1", Now), Is.True);
        Assert.That(open.NotePaymentFailed("in_other", "evt_2", Now), Is.False);
        Assert.That(paid.NotePaymentFailed("in_1", "evt_1", Now), Is.False);
        Assert.That(authenticating.NotePaymentFailed("in_1", "evt_1", Now), Is.False, "the 3-D Secure notice says more");
        Assert.That(open.PendingEvents.Single(), Is.EqualTo(new PaymentAttemptFailed("u1", Now, "in_1", "evt_1")));
        Assert.That(paid.PendingEvents, Is.Empty);
    }

    [Test]
    public void A_3D_Secure_request_the_trial_ending_and_a_new_card_are_told_only_while_they_hold()
    {
        var trialing = Account(SubscriptionStatus.Trialing, openInvoice: "in_1");
        var active = Account(SubscriptionStatus.Active);
        var noCustomer = BillingAccount.Open("u2", "u2@example.com", Now);

        Assert.That(trialing.NoteAuthenticationRequested("in_1", "evt_1", Now), Is.True);
        Assert.That(active.NoteAuthenticationRequested("in_1", "evt_1", Now), Is.False, "paid meanwhile");
        Assert.That(trialing.NoteTrialEnding("evt_2", Now), Is.True);
        Assert.That(active.NoteTrialEnding("evt_2", Now), Is.False, "the trial is over");
        Assert.That(active.NotePaymentMethodReplaced("evt_3", Now), Is.True);
        Assert.That(noCustomer.NotePaymentMethodReplaced("evt_3", Now), Is.False);
        Assert.That(trialing.PendingEvents.Select(e => e.GetType()), Is.EqualTo(new[] { typeof(PaymentAuthenticationRequested), typeof(TrialEndingSoon) }));
    }

    [Test]
    public void A_notice_changes_nothing_of_the_accounts_state()
    {
        var account = Account(SubscriptionStatus.Active);
        var updated = account.UpdatedAt;

        account.NoteDisputeFiled("dp_1", "in_1", Now.AddDays(1));
        account.NotePaymentMethodReplaced("evt_1", Now.AddDays(1));

        Assert.That(account.UpdatedAt, Is.EqualTo(updated));
        Assert.That(account.DisputedSince, Is.Null, "whether a dispute counts against the user is MarkDisputed's to say");
        Assert.That(account.PendingEvents.OfType<DisputeFiled>().Single().DisputeId, Is.EqualTo("dp_1"));
    }
}
