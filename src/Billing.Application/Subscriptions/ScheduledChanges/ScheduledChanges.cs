using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Domain.Accounts;

namespace Billing.Application.Subscriptions.ScheduledChanges;

/// <summary>
/// Lets go of the schedule that manages an account's subscription, so that nothing it scheduled happens: asked for
/// (<c>DELETE …/scheduled-change</c>), and before an upgrade or a cancellation, which win over a scheduled downgrade.
/// </summary>
public sealed class ScheduledChangeRelease(ISubscriptionScheduleGateway schedules, TimeProvider clock)
{
    /// <summary>True when a schedule was let go of (now or before); false when none manages the subscription.</summary>
    public async Task<Result<bool>> ReleaseAsync(BillingAccount account, string requestKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var scheduleId = account.ScheduledChange?.ScheduleId ?? account.StripeScheduleId;
        if (scheduleId is null)
        {
            return false;
        }

        var released = await schedules.ReleaseScheduleAsync(scheduleId, $"billing-release-{account.UserId}-{scheduleId}-{requestKey}", cancellationToken);
        if (!released.IsSuccess)
        {
            return released.Error!;
        }

        account.LiftScheduledChange(clock.GetUtcNow());
        return true;
    }
}
