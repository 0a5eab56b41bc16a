using Billing.Application.Common.Results;

namespace Billing.Application.Ports;

/// <summary>
/// Changes of plan that wait for the end of the period (Stripe's subscription schedules). Adapters map SDK types to
/// this port's records; none cross it.
/// </summary>
public interface ISubscriptionScheduleGateway
{
    /// <summary>
    /// Schedules the subscription's move to <see cref="ScheduledPriceChange.PriceId"/> when its current period ends,
    /// on the schedule that already manages it or on a new one; the subscription stays as it is until then.
    /// </summary>
    Task<Result<GatewaySchedule>> ScheduleAtPeriodEndAsync(ScheduledPriceChange change, CancellationToken cancellationToken);

    /// <summary>
    /// Releases the schedule: nothing it scheduled happens and the subscription stays as it is. True when it was
    /// released now, false when it had already ended (released, canceled or completed).
    /// </summary>
    Task<Result<bool>> ReleaseScheduleAsync(string scheduleId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>The price the schedule moves the subscription to next; null when it moves it nowhere (or has ended).</summary>
    Task<Result<string?>> FindNextPriceAsync(string scheduleId, CancellationToken cancellationToken);
}
