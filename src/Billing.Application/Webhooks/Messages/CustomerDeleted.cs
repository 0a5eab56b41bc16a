namespace Billing.Application.Webhooks.Messages;

/// <summary>A customer was deleted in Stripe (which ends its subscriptions at once).</summary>
public sealed record CustomerDeleted(string EventId, DateTimeOffset CreatedAt, string DeletedCustomerId)
    : StripeEventMessage(EventId, CreatedAt, DeletedCustomerId, DeletedCustomerId, null);
