using Billing.Application.Common;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Mediator;

namespace Billing.Application.Webhooks.Process;

/// <summary>
/// Applies one stored Stripe event, claimed by <see cref="Worker"/>: the event is read at the edge into its typed
/// message (<see cref="Messages"/>), and the message is sent to the one handler of its kind (<see cref="Apply"/>).
/// Subscription state is never taken from the event body, so duplicates, reordering and late events all end in
/// Stripe's current state. All the message's handler changes commits with the event's completion.
/// </summary>
public sealed record ProcessStripeEvent(string EventId, string Worker) : ICommand<Result<string>>;

public sealed class ProcessStripeEventHandler(IWebhookInbox inbox, IStripeEventReader reader, ISender sender, TimeProvider clock, BillingMetrics metrics)
    : ICommandHandler<ProcessStripeEvent, Result<string>>
{
    public async ValueTask<Result<string>> Handle(ProcessStripeEvent command, CancellationToken cancellationToken)
    {
        var record = await inbox.FindClaimedAsync(command.EventId, command.Worker, cancellationToken);
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
        await inbox.CompleteAsync(record.Id, command.Worker, outcome.Value, now, cancellationToken);
        metrics.WebhooksProcessed.Add(1);
        metrics.WebhookLag.Record((now - record.ReceivedAt).TotalMilliseconds);
        return outcome.Value;
    }
}
