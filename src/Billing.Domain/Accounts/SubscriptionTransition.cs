using Billing.Domain.Accounts.Events;
using Billing.Domain.Plans;

namespace Billing.Domain.Accounts;

/// <summary>
/// Names, in billing terms, what an accepted report of a subscription did to an account: the events
/// <see cref="BillingAccount.ApplySubscription"/> records. Every accepted change names at least one.
/// </summary>
internal readonly record struct SubscriptionTransition(
    string UserId,
    DateTimeOffset At,
    string SubscriptionId,
    (Tier Tier, BillingCycle? Cycle, SubscriptionStatus Status, bool CancelAtPeriodEnd, string? SubscriptionId, int? Seats) Before,
    (Tier Tier, BillingCycle? Cycle, SubscriptionStatus Status, bool CancelAtPeriodEnd, DateTimeOffset? PeriodEnd, int? Seats) After)
{
    public IReadOnlyList<AccountEvent> Events()
    {
        var events = new List<AccountEvent>();
        var (before, after) = (Before, After);
        var sameSubscription = before.SubscriptionId == SubscriptionId;
        var gaveAccess = sameSubscription && GivesAccess(before.Status);
        if (GivesAccess(after.Status) && !gaveAccess)
        {
            events.Add(new SubscriptionActivated(UserId, At, SubscriptionId, after.Tier, after.Cycle, after.Status));
        }
        else if (gaveAccess && GivesAccess(after.Status) && (before.Tier, before.Cycle) != (after.Tier, after.Cycle))
        {
            events.Add(new SubscriptionTierChanged(UserId, At, SubscriptionId, before.Tier, after.Tier, before.Cycle, after.Cycle));
        }

        if (after.Status != before.Status || !sameSubscription)
        {
            AccountEvent? statusEvent = after.Status switch
            {
                SubscriptionStatus.PastDue or SubscriptionStatus.Unpaid or SubscriptionStatus.Incomplete => new SubscriptionPaymentFailed(UserId, At, SubscriptionId, after.Status),
                SubscriptionStatus.Paused => new SubscriptionSuspended(UserId, At, SubscriptionId),
                _ when after.Status.IsTerminal() => new SubscriptionEnded(UserId, At, SubscriptionId, after.Status),
                _ => null,
            };
            if (statusEvent is not null)
            {
                events.Add(statusEvent);
            }
        }

        if (after.CancelAtPeriodEnd && !(sameSubscription && before.CancelAtPeriodEnd))
        {
            events.Add(new SubscriptionCancellationScheduled(UserId, At, SubscriptionId, after.PeriodEnd));
        }
        else if (sameSubscription && before.CancelAtPeriodEnd && !after.CancelAtPeriodEnd && !after.Status.IsTerminal())
        {
            events.Add(new SubscriptionCancellationLifted(UserId, At, SubscriptionId));
        }

        // A new subscription's seats come with it; a known count that moves is a change of its own.
        if (sameSubscription && before.Seats is { } was && after.Seats is { } seats && was != seats && !after.Status.IsTerminal())
        {
            events.Add(new SubscriptionSeatsChanged(UserId, At, SubscriptionId, was, seats));
        }

        if (events.Count == 0)
        {
            events.Add(new SubscriptionTermsUpdated(UserId, At, SubscriptionId));
        }

        return events;
    }

    private static bool GivesAccess(SubscriptionStatus status) => status is SubscriptionStatus.Active or SubscriptionStatus.Trialing;
}
