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

    /// <summary>Whether this subscription's end follows a failed first debit (its notice already told the user).</summary>
    public bool EndedByFailedDebit(string subscriptionId) => FailedDebitSubscriptionId == subscriptionId;

    /// <summary>The tier the first payment pays for, while it is on its way: granted only when the operator allows it.</summary>
    private Tier? TierWhilePending(bool accessWhilePending) => AwaitsFirstPayment ? (accessWhilePending ? Tier : Tier.Trial) : null;
}
