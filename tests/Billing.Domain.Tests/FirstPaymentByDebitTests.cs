using Billing.Domain.Accounts;
using Billing.Domain.Accounts.Events;
using Billing.Domain.Invoices;
using Billing.Domain.Plans;

namespace Billing.Domain.Tests;

/// <summary>A first payment by bank debit: pending until the bank answers, access only when the operator allows it, settled once.</summary>
public sealed class FirstPaymentByDebitTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static BillingAccount Subscribed()
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now);
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Professional, BillingCycle.Monthly, Now, Now.AddMonths(1), false, 4500, "eur", OpenInvoice: new OpenInvoice("in_1", "https://pay/in_1", null, Now)), Now);
        account.ClearPendingEvents();
        return account;
    }

    private static BillingInvoice Invoice(string id, InvoiceStatus status) =>
        BillingInvoice.From(new InvoiceFacts(id, "cus_1", "sub_1", null, status, "eur", 4500, 0, status == InvoiceStatus.Paid ? 4500 : 0, null, null, Now.AddMonths(1), $"https://pay/{id}", null));

    [Test]
    public void While_the_first_debit_is_on_its_way_access_is_the_paid_tier_only_when_allowed_and_nothing_is_asked()
    {
        var account = Subscribed();

        Assert.That(account.NoteFirstPaymentPending("cs_1", Now), Is.True);

        Assert.That(account.AwaitsFirstPayment, Is.True);
        Assert.That(account.EffectiveTier(Now, TimeSpan.FromDays(3)), Is.EqualTo(Tier.Trial));
        Assert.That(account.EffectiveTier(Now, TimeSpan.FromDays(3), accessWhilePending: true), Is.EqualTo(Tier.Professional));
        Assert.That(account.PendingAction(TimeSpan.FromDays(3)), Is.Null);
        Assert.That(account.PendingEvents.OfType<FirstPaymentPending>(), Has.Exactly(1).Items);
    }

    [Test]
    public void A_late_completed_report_of_a_settled_session_does_not_make_it_pending_again()
    {
        var account = Subscribed();
        account.SettleFirstPayment("cs_1", "sub_1", succeeded: true, Now.AddDays(5));

        Assert.That(account.NoteFirstPaymentPending("cs_1", Now), Is.False);
        Assert.That(account.AwaitsFirstPayment, Is.False);
        Assert.That(account.EffectiveTier(Now, TimeSpan.FromDays(3)), Is.EqualTo(Tier.Professional));
    }

    [Test]
    public void A_failed_first_debit_is_told_once_and_silences_the_payment_failed_notice_of_its_invoice()
    {
        var account = Subscribed();
        account.NoteFirstPaymentPending("cs_1", Now);

        Assert.That(account.NotePaymentFailed("in_1", "in_1:1", Now.AddDays(5)), Is.False, "the debit's own notice tells it");
        Assert.That(account.SettleFirstPayment("cs_1", "sub_1", succeeded: false, Now.AddDays(5)), Is.True);
        Assert.That(account.SettleFirstPayment("cs_1", "sub_1", succeeded: false, Now.AddDays(5)), Is.False);

        Assert.That(account.PendingEvents.OfType<FirstPaymentFailed>(), Has.Exactly(1).Items);
        Assert.That(account.EndedByFailedDebit("sub_1"), Is.True);
        Assert.That(account.NotePaymentFailed("in_1", "in_1:2", Now.AddDays(5)), Is.False);
    }

    [Test]
    public void A_processing_renewal_is_not_failed_and_a_late_processing_report_after_its_answer_changes_nothing()
    {
        var account = Subscribed();
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.PastDue, Tier.Professional, BillingCycle.Monthly, Now.AddMonths(1), Now.AddMonths(2), false, 4500, "eur", OpenInvoice: new OpenInvoice("in_2", "https://pay/in_2", null, Now.AddMonths(1))), Now.AddMonths(1));

        Assert.That(account.NotePaymentProcessing(Now.AddMonths(1).AddMinutes(1)), Is.True);
        Assert.That(account.PaymentProcessing, Is.True);
        Assert.That(account.PendingAction(TimeSpan.Zero), Is.Null, "nothing to do while the bank has not answered");
        Assert.That(account.EffectiveTier(Now.AddMonths(1).AddDays(9), TimeSpan.Zero), Is.EqualTo(Tier.Professional), "not failed yet: no grace runs out");

        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Professional, BillingCycle.Monthly, Now.AddMonths(1), Now.AddMonths(2), false, 4500, "eur"), Now.AddMonths(1).AddDays(1));
        Assert.That(account.PaymentProcessingSince, Is.Not.Null, "a subscription's report does not say its invoice was paid");

        account.NoteInvoice(Invoice("in_2", InvoiceStatus.Paid), null, Now.AddMonths(1).AddDays(5));

        Assert.That(account.PaymentProcessing, Is.False);
        Assert.That(account.NotePaymentProcessing(Now.AddMonths(1).AddMinutes(1)), Is.False, "a redelivered report older than the answer");
    }
}
