using Billing.Application.Common;
using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Mediator;

namespace Billing.Application.Webhooks.Receive;

/// <summary>
/// A webhook call from Stripe: verified over the raw body, then stored in the inbox before the answer goes back.
/// Processing happens later, in the background, so the answer is fast whatever Keycloak or Lago are doing.
/// </summary>
public sealed record ReceiveStripeEvent(string Payload, string? Signature) : ICommand<Result<WebhookReceipt>>;

public sealed record WebhookReceipt(string EventId, bool Duplicate, bool Ignored);

public sealed class ReceiveStripeEventHandler(
    IStripeEventReader reader,
    IWebhookInbox inbox,
    IInboxSignal signal,
    TimeProvider clock,
    BillingMetrics metrics) : ICommandHandler<ReceiveStripeEvent, Result<WebhookReceipt>>
{
    public async ValueTask<Result<WebhookReceipt>> Handle(ReceiveStripeEvent command, CancellationToken cancellationToken)
    {
        var verified = reader.Verify(command.Payload, command.Signature);
        if (!verified.IsSuccess)
        {
            metrics.WebhooksRejected.Add(1);
            return verified.Error!;
        }

        var evt = verified.Value;
        var now = clock.GetUtcNow();
        var ignored = !evt.Handled;
        var stored = await inbox.TryAddAsync(
            new NewInboxEvent(evt.Id, evt.Type, evt.ApiVersion, evt.CreatedAt, now, evt.Payload, ignored, ignored ? null : evt.Lane),
            cancellationToken);
        if (!stored)
        {
            metrics.WebhooksDuplicate.Add(1);
            return new WebhookReceipt(evt.Id, Duplicate: true, ignored);
        }

        metrics.WebhooksReceived.Add(1);
        if (!ignored)
        {
            signal.Notify();
        }

        return new WebhookReceipt(evt.Id, Duplicate: false, ignored);
    }
}
