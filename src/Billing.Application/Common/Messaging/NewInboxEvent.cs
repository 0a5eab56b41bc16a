namespace Billing.Application.Common.Messaging;

/// <summary>A verified Stripe event to store; an event type the service does not act on is stored as ignored.</summary>
public sealed record NewInboxEvent(string Id, string Type, string? ApiVersion, DateTimeOffset CreatedAt, DateTimeOffset ReceivedAt, string Payload, bool Ignored);
