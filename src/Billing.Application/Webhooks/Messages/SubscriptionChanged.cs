namespace Billing.Application.Webhooks.Messages;

/// <summary>
/// A subscription was created, updated, ended, paused or resumed, or its trial ends soon. What changed is read from
/// Stripe's state, never from the event's <c>previous_attributes</c>.
/// </summary>
public sealed record SubscriptionChanged(
    string EventId,
    DateTimeOffset CreatedAt,
    string SubscriptionId,
    string? CustomerId,
    SubscriptionChange Change,
    string? UserId)
    : StripeEventMessage(EventId, CreatedAt, SubscriptionId, CustomerId, SubscriptionId);
