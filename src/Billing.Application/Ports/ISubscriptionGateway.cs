using Billing.Application.Common;
using Billing.Application.Common.Results;

namespace Billing.Application.Ports;

/// <summary>Subscriptions: read, changed, canceled, resumed, and the refund of what one collected last. Adapters map SDK types to this port's records; none cross it.</summary>
public interface ISubscriptionGateway
{
    Task<Result<GatewaySubscription>> GetSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken);

    /// <summary>
    /// Every subscription of the customer (of the account when null), whatever its status, page by page. Listed, not
    /// expanded: good for comparing, while a repair reads the one subscription again.
    /// </summary>
    Task<Result<IReadOnlyList<GatewaySubscription>>> ListSubscriptionsAsync(string? customerId, CancellationToken cancellationToken);

    Task<Result<GatewaySubscription>> CancelSubscriptionAsync(string subscriptionId, bool atPeriodEnd, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Lifts a cancellation scheduled for the period end.</summary>
    Task<Result<GatewaySubscription>> KeepSubscriptionAsync(string subscriptionId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Resumes a paused subscription (Stripe's resume, billing from now).</summary>
    Task<Result<GatewaySubscription>> ResumePausedSubscriptionAsync(string subscriptionId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Moves the end of a subscription's free trial, with no proration.</summary>
    /// <remarks>The subscription's metadata names <paramref name="changeRequest"/> as the request that changed it (<see cref="SubscriptionChangeRequest"/>).</remarks>
    Task<Result<GatewaySubscription>> ExtendTrialAsync(string subscriptionId, DateTimeOffset trialEnd, string idempotencyKey, string changeRequest, CancellationToken cancellationToken);

    Task<Result<GatewaySubscription>> ChangeSubscriptionPriceAsync(SubscriptionPriceChange change, CancellationToken cancellationToken);

    /// <summary>Sets the subscription item's quantity (seats); the request's key goes into its metadata too.</summary>
    Task<Result<GatewaySubscription>> ChangeSeatsAsync(SeatChange change, CancellationToken cancellationToken);

    Task<Result<ChangePreview>> PreviewSubscriptionPriceChangeAsync(SubscriptionPriceChange change, string customerId, CancellationToken cancellationToken);

    /// <summary>Puts a promotion code's discount on a live subscription (replacing any other discount).</summary>
    Task<Result<GatewaySubscription>> ApplyPromotionCodeAsync(string subscriptionId, string promotionCodeId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>
    /// Refunds <paramref name="portion"/> (all by default) of what the subscription's latest invoice collected; null
    /// when it collected nothing.
    /// </summary>
    Task<Result<string?>> RefundLatestPaymentAsync(string subscriptionId, string reason, string idempotencyKey, CancellationToken cancellationToken, decimal portion = 1m);
}
