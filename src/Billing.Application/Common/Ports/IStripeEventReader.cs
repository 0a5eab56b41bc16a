using Billing.Application.Common.Results;

namespace Billing.Application.Common.Ports;

/// <summary>A Stripe event whose signature checked out: the envelope, and the raw payload to store.</summary>
public sealed record VerifiedStripeEvent(string Id, string Type, DateTimeOffset CreatedAt, string? ApiVersion, string Payload);

/// <summary>What processing needs from an event's <c>data.object</c>, read the same way whatever the API version.</summary>
public sealed record StripeEventFacts(
    string Type,
    string ObjectId,
    string? CustomerId,
    string? SubscriptionId,
    string? ClientReferenceId,
    string? MetadataUserId,
    string? CustomerEmail);

/// <summary>Verifies Stripe-Signature over the raw body and reads events; the Stripe SDK stays behind it.</summary>
public interface IStripeEventReader
{
    Result<VerifiedStripeEvent> Verify(string payload, string? signatureHeader);

    Result<StripeEventFacts> Read(string payload);
}
