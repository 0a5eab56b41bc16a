using Billing.Application.Common.Results;

namespace Billing.Application.Common.Ports;

/// <summary>Verifies Stripe-Signature over the raw body and reads events; the Stripe SDK stays behind it.</summary>
public interface IStripeEventReader
{
    Result<VerifiedStripeEvent> Verify(string payload, string? signatureHeader);

    Result<StripeEventFacts> Read(string payload);
}
