using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Mediator;

namespace Billing.Application.Webhooks.Process;

/// <summary>
/// Applies one stored Stripe event claimed by a worker, inside the unit of work of the command that asked: the event
/// is read at the edge into its typed message (<see cref="Messages"/>), the message goes to the one handler of its
/// kind (<see cref="Apply"/>), and the event is marked done with its outcome, committed with what the handler changed.
/// </summary>
public sealed class ClaimedEventApplier(IWebhookInbox inbox, IStripeEventReader reader, ISender sender, TimeProvider clock, BillingMetrics metrics)
{
    public async ValueTask<Result<string>> ApplyAsync(string eventId, string worker, CancellationToken cancellationToken)
    {
        var record = await inbox.FindClaimedAsync(eventId, worker, cancellationToken);
        if (record is null)
        {
            // Another worker holds it, or it is done: nothing to do, and nothing to fail.
            return "Not claimed by this worker.";
        }

        var message = reader.Read(record.Payload);
        if (!message.IsSuccess)
        {
            return message.Error!;
        }

        var outcome = await sender.Send(message.Value, cancellationToken);
        if (!outcome.IsSuccess)
        {
            return outcome.Error!;
        }

        var now = clock.GetUtcNow();
        await inbox.CompleteAsync(record.Id, worker, outcome.Value, now, cancellationToken);
        metrics.WebhooksProcessed.Add(1);
        metrics.WebhookLag.Record((now - record.ReceivedAt).TotalMilliseconds);
        return outcome.Value;
    }
}
