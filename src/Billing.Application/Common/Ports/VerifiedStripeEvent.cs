namespace Billing.Application.Common.Ports;

/// <summary>A Stripe event whose signature checked out: the envelope, and the raw payload to store.</summary>
public sealed record VerifiedStripeEvent(string Id, string Type, DateTimeOffset CreatedAt, string? ApiVersion, string Payload);
