using Billing.Domain.Accounts.Events;
using Billing.Domain.Plans;

namespace Billing.Domain.Accounts;

/// <summary>A change of plan scheduled for the end of the period (a Stripe subscription schedule).</summary>
public sealed partial class BillingAccount
{
    /// <summary>The change Stripe will make at the end of the period; null when none is scheduled.</summary>
    public ScheduledChange? ScheduledChange { get; private set; }

    /// <summary>When the newest report of a schedule this account follows was made (an event's, or this service's own change).</summary>
    public DateTimeOffset? ScheduleReportedAt { get; private set; }

    /// <summary>
    /// Applies what a schedule's own event said, created at <paramref name="createdAt"/>: the change it holds next
    /// (<paramref name="next"/>), or none (it ended, or has no phase after the current one). An older report than
    /// the newest applied changes nothing, so a release delivered before the update it followed stays released.
    /// </summary>
    public bool ApplyScheduleReport(string scheduleId, ScheduledChange? next, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheduleId);
        if (ScheduleReportedAt is { } last && createdAt < last)
        {
            return false;
        }

        ScheduleReportedAt = createdAt;
        if (next is null)
        {
            return ScheduledChange?.ScheduleId == scheduleId && LiftScheduledChange(createdAt);
        }

        return ScheduleChange(next, createdAt);
    }

    /// <summary>
    /// Notes the change Stripe scheduled for the live subscription. The plan, and so access, stay as they are until
    /// Stripe moves the subscription to it. Returns false when it is already noted, or when there is no live
    /// subscription to schedule it on.
    /// </summary>
    public bool ScheduleChange(ScheduledChange change, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!HasLiveSubscription || ScheduledChange == change)
        {
            return false;
        }

        ScheduledChange = change;
        StripeScheduleId = change.ScheduleId;
        ScheduleReportedAt = Later(ScheduleReportedAt, now);
        Record(new SubscriptionChangeScheduled(UserId, now, StripeSubscriptionId!, change.Tier, change.Cycle, change.EffectiveAt));
        return true;
    }

    /// <summary>The scheduled change will not happen (its schedule was released); false when none was scheduled.</summary>
    public bool LiftScheduledChange(DateTimeOffset now)
    {
        if (ScheduledChange is null)
        {
            return false;
        }

        ScheduledChange = null;
        StripeScheduleId = null;
        ScheduleReportedAt = Later(ScheduleReportedAt, now);
        Record(new ScheduledChangeLifted(UserId, now, StripeSubscriptionId ?? string.Empty));
        return true;
    }

    /// <summary>
    /// What a newer report of the subscription says of the scheduled change: it happened (the subscription is on the
    /// scheduled plan), or it is gone (the subscription is on no schedule, or another one,
    /// or ended). Either way it is no longer ahead.
    /// </summary>
    private void SettleScheduledChange(SubscriptionSnapshot snapshot)
    {
        if (ScheduledChange is not { } scheduled)
        {
            return;
        }

        // On the scheduled plan, however it got there (the phase moved, or someone changed it directly), it is done.
        var happened = snapshot.Tier == scheduled.Tier && snapshot.Cycle == scheduled.Cycle;
        var gone = snapshot.Status.IsTerminal() || snapshot.ScheduleId != scheduled.ScheduleId;
        if (happened || gone)
        {
            ScheduledChange = null;
        }
    }

    private static DateTimeOffset Later(DateTimeOffset? held, DateTimeOffset now) => held is { } last && last > now ? last : now;
}
