using Billing.Domain.Accounts.Events;
using Billing.Domain.Plans;

namespace Billing.Domain.Accounts;

/// <summary>
/// A first payment by bank debit (SEPA Direct Debit, ACH, Bacs): Checkout completes while the money is still on its
/// way, and days later Stripe says whether the debit succeeded. Until then the account is <c>pending_payment</c>,
/// whatever status Stripe shows the subscription in; a debit that failed ends a subscription never paid for.
/// </summary>
public sealed partial class BillingAccount
{
    /// <summary>The Checkout Session whose first payment by debit is on its way; null when none is.</summary>
    public string? PendingPaymentSessionId { get; private set; }

    /// <summary>Since when the first payment has been on its way.</summary>
    public DateTimeOffset? PaymentPendingSince { get; private set; }

    /// <summary>The last session whose debit Stripe settled: a late "completed" report of it must not make it pending again.</summary>
    public string? SettledPaymentSessionId { get; private set; }

    /// <summary>The subscription whose first debit failed: it ends, and its end (and failed invoice) are told by the debit's notice.</summary>
    public string? FailedDebitSubscriptionId { get; private set; }

    /// <summary>A subscription is live but its first payment, by debit, is not in yet.</summary>
    public bool AwaitsFirstPayment => PendingPaymentSessionId is not null && Status.IsLive();

    /// <summary>Checkout completed unpaid: the debit of the first invoice is processing. Returns false for a session already settled or noted.</summary>
    public bool NoteFirstPaymentPending(string sessionId, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        if (PendingPaymentSessionId == sessionId || SettledPaymentSessionId == sessionId)
        {
            return false;
        }

        PendingPaymentSessionId = sessionId;
        PaymentPendingSince = at;
        Record(new FirstPaymentPending(UserId, at, sessionId));
        return true;
    }

    /// <summary>
    /// Stripe settled the session's debit. Succeeded: the account is what Stripe's subscription says. Failed: the
    /// subscription is to end (<see cref="FailedDebitSubscriptionId"/>). Returns false when it was settled before.
    /// </summary>
    public bool SettleFirstPayment(string sessionId, string? subscriptionId, bool succeeded, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        if (SettledPaymentSessionId == sessionId)
        {
            return false;
        }

        var wasPending = PendingPaymentSessionId == sessionId;
        PendingPaymentSessionId = wasPending ? null : PendingPaymentSessionId;
        PaymentPendingSince = wasPending ? null : PaymentPendingSince;
        SettledPaymentSessionId = sessionId;
        if (succeeded)
        {
            Record(new FirstPaymentSucceeded(UserId, at, sessionId));
            return true;
        }

        FailedDebitSubscriptionId = subscriptionId ?? StripeSubscriptionId;
        Record(new FirstPaymentFailed(UserId, at, sessionId, FailedDebitSubscriptionId));
        return true;
    }

    /// <summary>Since when a payment of this customer (a bank debit) has been processing; null when none is known to be.</summary>
    public DateTimeOffset? PaymentProcessingSince { get; private set; }

    /// <summary>When a payment was last seen settled (paid, or failed): an older "processing" report is stale.</summary>
    public DateTimeOffset? PaymentSettledAt { get; private set; }

    /// <summary>
    /// The open invoice's payment is on its way (a debit Stripe has not answered yet): not failed, nothing for the
    /// customer to do. Bookkeeping: nothing Keycloak or Lago see changes.
    /// </summary>
    public bool PaymentProcessing => PaymentProcessingSince is not null && OpenInvoice is not null;

    /// <summary>Stripe says a payment of this customer is processing (observed at <paramref name="at"/>); false for a report older than its answer.</summary>
    public bool NotePaymentProcessing(DateTimeOffset at)
    {
        if ((PaymentSettledAt is { } settled && settled > at) || PaymentProcessingSince == at)
        {
            return false;
        }

        PaymentProcessingSince = at;
        return true;
    }

    /// <summary>
    /// A subscription that went past due, unpaid or ended says its processing payment failed (a report not older than
    /// it); a paid one is said by its invoice (<see cref="NoteInvoice"/>), since a subscription's report may not know
    /// its latest invoice yet.
    /// </summary>
    private void SettleProcessingPayment(SubscriptionSnapshot snapshot, DateTimeOffset observedAt) =>
        SettleProcessingPayment(snapshot.Status is SubscriptionStatus.PastDue or SubscriptionStatus.Unpaid || snapshot.Status.IsTerminal(), observedAt);

    /// <summary>A processing payment is answered (<paramref name="answered"/>) by a report not older than it.</summary>
    private void SettleProcessingPayment(bool answered, DateTimeOffset reportedAt)
    {
        if (answered && PaymentProcessingSince is { } since && reportedAt >= since)
        {
            PaymentProcessingSince = null;
            PaymentSettledAt = reportedAt;
        }
    }

    /// <summary>Whether this subscription's end follows a failed first debit (its notice already told the user).</summary>
    public bool EndedByFailedDebit(string subscriptionId) => FailedDebitSubscriptionId == subscriptionId;

    /// <summary>The tier the first payment pays for, while it is on its way: granted only when the operator allows it.</summary>
    private Tier? TierWhilePending(bool accessWhilePending) => AwaitsFirstPayment ? (accessWhilePending ? Tier : Tier.Trial) : null;
}
