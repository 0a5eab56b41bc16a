using Billing.Application.Ports;

namespace Billing.Application.Webhooks.Messages;

/// <summary>
/// A subscription was created, updated, ended, paused or resumed, or its trial ends soon. <see cref="Reported"/> is
/// the whole subscription as it was when Stripe created the event (never its <c>previous_attributes</c>); null when the
/// event came in another API version than the one this service parses, so the subscription is read from Stripe.
/// </summary>
public sealed record SubscriptionChanged(
    string EventId,
    DateTimeOffset CreatedAt,
    string SubscriptionId,
    string? CustomerId,
    SubscriptionChange Change,
    string? UserId,
    GatewaySubscription? Reported = null)
    : StripeEventMessage(EventId, CreatedAt, SubscriptionId, CustomerId, SubscriptionId);
