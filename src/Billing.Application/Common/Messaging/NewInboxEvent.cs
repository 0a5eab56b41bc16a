namespace Billing.Application.Common.Messaging;

/// <summary>
/// A verified Stripe event to store; an event type the service does not act on is stored as ignored.
/// <see cref="OrderingKey"/> (the subscription, else the customer, else the object) puts the events of one
/// subscription in one lane: processed in order, together, with one read of Stripe.
/// </summary>
public sealed record NewInboxEvent(string Id, string Type, string? ApiVersion, DateTimeOffset CreatedAt, DateTimeOffset ReceivedAt, string Payload, bool Ignored, string? OrderingKey = null);
