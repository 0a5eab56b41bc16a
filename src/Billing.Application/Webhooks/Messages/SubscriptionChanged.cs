namespace Billing.Application.Webhooks.Messages;

/// <summary>
/// A subscription was created, updated, ended, paused or resumed, or its trial ends soon. Its
/// <c>CancellationScheduled</c> says this update turned on the cancellation at the period's end.
/// </summary>
public sealed record SubscriptionChanged(
    string EventId,
    DateTimeOffset CreatedAt,
    string SubscriptionId,
    string? CustomerId,
    SubscriptionChange Change,
    string? UserId,
    bool CancellationScheduled)
    : StripeEventMessage(EventId, CreatedAt, SubscriptionId, CustomerId, SubscriptionId);
