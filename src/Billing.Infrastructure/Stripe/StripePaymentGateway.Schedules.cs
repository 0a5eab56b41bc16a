using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Stripe;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// Changes at the end of the period, on Stripe's subscription schedules: a schedule is made from the subscription
/// (Stripe takes nothing else with <c>from_subscription</c>), then given two phases, the current one as it is (its
/// start kept, as Stripe requires) and the new price from the period's end, released when that phase ends so the
/// subscription carries on by itself.
/// </summary>
internal sealed partial class StripePaymentGateway
{
    private static readonly HashSet<string> Releasable = new(StringComparer.Ordinal) { "not_started", "active" };

    public Task<Result<GatewaySchedule>> ScheduleAtPeriodEndAsync(ScheduledPriceChange change, CancellationToken cancellationToken) =>
        CallAsync("schedule change at period end", async client =>
        {
            var service = new SubscriptionScheduleService(client);
            var schedule = change.ScheduleId is { } existing
                ? await service.GetAsync(existing, cancellationToken: cancellationToken)
                : null;
            if (schedule is null || !Releasable.Contains(schedule.Status))
            {
                schedule = await service.CreateAsync(new SubscriptionScheduleCreateOptions { FromSubscription = change.SubscriptionId }, Keyed(change.IdempotencyKey + "-create"), cancellationToken);
            }

            var current = schedule.CurrentPhase is { } phase
                ? schedule.Phases.First(p => p.StartDate == phase.StartDate)
                : schedule.Phases[0];
            var currentItem = current.Items[0];
            var updated = await service.UpdateAsync(
                schedule.Id,
                new SubscriptionScheduleUpdateOptions
                {
                    EndBehavior = "release",
                    Phases =
                    [
                        new SubscriptionSchedulePhaseOptions
                        {
                            StartDate = current.StartDate,
                            EndDate = current.EndDate,
                            Items = [new SubscriptionSchedulePhaseItemOptions { Price = currentItem.PriceId, Quantity = currentItem.Quantity }],
                        },
                        new SubscriptionSchedulePhaseOptions
                        {
                            Items = [new SubscriptionSchedulePhaseItemOptions { Price = change.PriceId, Quantity = change.Quantity }],
                            Metadata = change.Metadata.ToDictionary(),
                            ProrationBehavior = "none",
                        },
                    ],
                },
                Keyed(change.IdempotencyKey + "-phases"),
                cancellationToken);
            return new GatewaySchedule(updated.Id, change.SubscriptionId, change.PriceId, new DateTimeOffset(DateTime.SpecifyKind(current.EndDate, DateTimeKind.Utc)));
        });

    public Task<Result<bool>> ReleaseScheduleAsync(string scheduleId, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("release schedule", async client =>
        {
            var service = new SubscriptionScheduleService(client);
            var schedule = await service.GetAsync(scheduleId, cancellationToken: cancellationToken);
            if (!Releasable.Contains(schedule.Status))
            {
                return false;
            }

            await service.ReleaseAsync(scheduleId, new SubscriptionScheduleReleaseOptions(), Keyed(idempotencyKey), cancellationToken);
            return true;
        });

    public Task<Result<string?>> FindNextPriceAsync(string scheduleId, CancellationToken cancellationToken) =>
        CallAsync<string?>("find scheduled price", async client =>
        {
            var schedule = await new SubscriptionScheduleService(client).GetAsync(scheduleId, cancellationToken: cancellationToken);
            if (!Releasable.Contains(schedule.Status) || schedule.CurrentPhase is not { } current)
            {
                return null;
            }

            return schedule.Phases.FirstOrDefault(p => p.StartDate >= current.EndDate)?.Items.FirstOrDefault()?.PriceId;
        });
}
