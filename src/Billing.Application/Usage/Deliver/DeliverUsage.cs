using Billing.Application.Common;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Usage;
using Mediator;

namespace Billing.Application.Usage.Deliver;

/// <summary>
/// Delivers a batch of claimed usage events to Lago. Lago keeps an event once per subscription and transaction id,
/// so a batch sent again after a lost answer counts nothing twice; what Lago already had is complete, what it
/// refuses for good is parked with its reason, and an outage leaves the batch to be retried.
/// </summary>
public sealed record DeliverUsage(IReadOnlyList<ClaimedUsageEvent> Batch, string Worker) : ICommand<Result<string>>;

public sealed class DeliverUsageHandler(IUsageLedger ledger, IUsageEventStore store, BillingMetrics metrics, TimeProvider clock) : ICommandHandler<DeliverUsage, Result<string>>
{
    public async ValueTask<Result<string>> Handle(DeliverUsage command, CancellationToken cancellationToken)
    {
        var sent = await ledger.SendEventsAsync(command.Batch.Select(c => c.Event).ToList(), cancellationToken);
        if (!sent.IsSuccess)
        {
            return sent.Error!;
        }

        var delivery = sent.Value;
        await store.CompleteAsync([.. delivery.Delivered, .. delivery.AlreadyDelivered], command.Worker, clock.GetUtcNow(), cancellationToken);
        metrics.UsageDelivered.Add(delivery.Delivered.Count + delivery.AlreadyDelivered.Count);
        if (delivery.Refused.Count > 0)
        {
            await store.ParkAsync(delivery.Refused, command.Worker, cancellationToken);
        }

        return $"{delivery.Delivered.Count} delivered, {delivery.AlreadyDelivered.Count} already in Lago, {delivery.Refused.Count} refused by Lago.";
    }
}
