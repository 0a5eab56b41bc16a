using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Messages;

namespace Billing.Application.Ports;

/// <summary>
/// Verifies Stripe-Signature over the raw body and reads events into typed messages; the Stripe SDK and Stripe's
/// event type names stay behind it.
/// </summary>
public interface IStripeEventReader
{
    Result<VerifiedStripeEvent> Verify(string payload, string? signatureHeader);

    /// <summary>The message of a verified event of a kind the service acts on (<see cref="VerifiedStripeEvent.Handled"/>).</summary>
    Result<StripeEventMessage> Read(string payload);
}
