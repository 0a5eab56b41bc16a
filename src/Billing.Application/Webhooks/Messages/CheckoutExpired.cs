namespace Billing.Application.Webhooks.Messages;

/// <summary>A Checkout Session expired unpaid.</summary>
public sealed record CheckoutExpired(string EventId, DateTimeOffset CreatedAt, string SessionId, string? CustomerId, string? UserId)
    : StripeEventMessage(EventId, CreatedAt, SessionId, CustomerId, null);
