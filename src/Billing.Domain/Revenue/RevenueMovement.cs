using Billing.Domain.Plans;

namespace Billing.Domain.Revenue;

/// <summary>
/// One change of an account's recurring revenue, recorded when Stripe's report of the subscription is applied, so
/// revenue can be read back per month. Amounts are annual run rates in minor units (a monthly price × 12, a
/// yearly price × 1, after a recurring discount, tax excluded): whole numbers that add up exactly, a twelfth of
/// which is MRR.
/// </summary>
public sealed class RevenueMovement
{
    private RevenueMovement()
    {
        UserId = string.Empty;
        Currency = string.Empty;
    }

    public long Id { get; private set; }

    public string UserId { get; private set; }

    /// <summary>When Stripe reported the change (the event's time), not when it was processed.</summary>
    public DateTimeOffset OccurredAt { get; private set; }

    public RevenueMovementKind Kind { get; private set; }

    public string Currency { get; private set; }

    public SubscriptionStatus StatusBefore { get; private set; }

    public SubscriptionStatus StatusAfter { get; private set; }

    public long RunRateBefore { get; private set; }

    public long RunRateAfter { get; private set; }

    /// <summary>What this movement changed MRR's run rate by: only an active subscription counts in MRR.</summary>
    public long CountedDelta => Counted(StatusAfter, RunRateAfter) - Counted(StatusBefore, RunRateBefore);

    /// <summary>
    /// The movement between two states of one subscription, or null when recurring revenue did not move
    /// (an incomplete first payment, a change of card, the same price on another cycle's date).
    /// </summary>
    public static RevenueMovement? Between(
        string userId,
        DateTimeOffset occurredAt,
        (SubscriptionStatus Status, long RunRate, string? Currency) before,
        (SubscriptionStatus Status, long RunRate, string? Currency) after,
        bool paidBefore)
    {
        var kind = KindOf(before.Status, before.RunRate, after.Status, after.RunRate, paidBefore);
        if (kind is null || (after.Currency ?? before.Currency) is not { } currency)
        {
            return null;
        }

        return new RevenueMovement
        {
            UserId = userId,
            OccurredAt = occurredAt,
            Kind = kind.Value,
            Currency = currency,
            StatusBefore = before.Status,
            StatusAfter = after.Status,
            RunRateBefore = before.RunRate,
            RunRateAfter = after.RunRate,
        };
    }

    private static long Counted(SubscriptionStatus status, long runRate) => status == SubscriptionStatus.Active ? runRate : 0;

    private static RevenueMovementKind? KindOf(SubscriptionStatus before, long rateBefore, SubscriptionStatus after, long rateAfter, bool paidBefore)
    {
        var failing = new[] { SubscriptionStatus.PastDue, SubscriptionStatus.Unpaid };
        return (before, after) switch
        {
            _ when before == after && before == SubscriptionStatus.Active =>
                rateAfter > rateBefore ? RevenueMovementKind.Expansion : rateAfter < rateBefore ? RevenueMovementKind.Contraction : null,
            _ when before == after => null,
            (not SubscriptionStatus.Trialing, SubscriptionStatus.Trialing) => RevenueMovementKind.TrialStarted,
            (SubscriptionStatus.Trialing, SubscriptionStatus.Active) => RevenueMovementKind.TrialConverted,
            (SubscriptionStatus.Trialing, _) when after.IsTerminal() || after == SubscriptionStatus.Paused => RevenueMovementKind.TrialEnded,
            (_, SubscriptionStatus.Active) when failing.Contains(before) => RevenueMovementKind.PaymentRecovered,
            (_, SubscriptionStatus.Active) => paidBefore ? RevenueMovementKind.Reactivation : RevenueMovementKind.New,
            (SubscriptionStatus.Active or SubscriptionStatus.Trialing, _) when failing.Contains(after) => RevenueMovementKind.PaymentFailed,
            (SubscriptionStatus.Active or SubscriptionStatus.PastDue or SubscriptionStatus.Unpaid, _) when after.IsTerminal() || after == SubscriptionStatus.Paused => RevenueMovementKind.Churn,
            _ => null,
        };
    }
}
