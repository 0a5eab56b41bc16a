using Billing.Application.Common.Results;
using Billing.Domain.Plans;

namespace Billing.Application.Common.Ports;

/// <summary>Everything the service asks of Stripe. Adapters map SDK types to these records; none cross this port.</summary>
public interface IPaymentGateway
{
    Task<Result<string>> CreateCustomerAsync(NewCustomer customer, CancellationToken cancellationToken);

    Task<Result<CheckoutSessionCreated>> CreateCheckoutSessionAsync(NewCheckoutSession session, CancellationToken cancellationToken);

    Task<Result<string>> CreatePortalSessionAsync(string customerId, string returnUrl, CancellationToken cancellationToken);

    /// <summary>The customer's cards; the default is the subscription's default card, else the customer's.</summary>
    Task<Result<IReadOnlyList<SavedPaymentMethod>>> ListPaymentMethodsAsync(string customerId, string? subscriptionId, CancellationToken cancellationToken);

    /// <summary>Ends an open Checkout Session so it can no longer be paid; false when it was no longer open.</summary>
    Task<Result<bool>> ExpireCheckoutSessionAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Refunds what the subscription's latest invoice collected; null when it collected nothing.</summary>
    Task<Result<string?>> RefundLatestPaymentAsync(string subscriptionId, string reason, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result<GatewaySubscription>> GetSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken);

    Task<Result<GatewaySubscription>> CancelSubscriptionAsync(string subscriptionId, bool atPeriodEnd, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result<GatewaySubscription>> ChangeSubscriptionPriceAsync(SubscriptionPriceChange change, CancellationToken cancellationToken);

    Task<Result<ChangePreview>> PreviewSubscriptionPriceChangeAsync(SubscriptionPriceChange change, string customerId, CancellationToken cancellationToken);

    Task<Result<IReadOnlyList<GatewayPrice>>> FindPricesByLookupKeysAsync(IReadOnlyCollection<string> lookupKeys, CancellationToken cancellationToken);

    Task<Result<GatewayProduct?>> FindProductAsync(string productId, CancellationToken cancellationToken);

    Task<Result<GatewayProduct>> UpsertProductAsync(GatewayProduct product, bool exists, CancellationToken cancellationToken);

    Task<Result<GatewayPrice>> CreatePriceAsync(NewPrice price, CancellationToken cancellationToken);

    Task<Result<GatewayPrice>> UpdatePriceMetadataAsync(string priceId, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);
}

public sealed record NewCustomer(string UserId, string Email, string IdempotencyKey);

public sealed record NewCheckoutSession(
    string CustomerId,
    string UserId,
    string PriceId,
    Tier Tier,
    BillingCycle Cycle,
    string SuccessUrl,
    string CancelUrl,
    DateTimeOffset ExpiresAt,
    string IdempotencyKey);

public sealed record CheckoutSessionCreated(string SessionId, string Url, DateTimeOffset ExpiresAt);

public sealed record SavedPaymentMethod(string Id, string Brand, string Last4, int ExpiryMonth, int ExpiryYear, bool IsDefault);

/// <summary>
/// A Stripe subscription with the one item this service sells on it. The price is as it is now: after a catalog
/// change its lookup key may have moved to a newer price, while its product and tier metadata stay.
/// </summary>
public sealed record GatewaySubscription(
    string Id,
    string CustomerId,
    string Status,
    DateTimeOffset Created,
    string ItemId,
    string PriceId,
    string? PriceLookupKey,
    string ProductId,
    string? PriceTier,
    string? PriceInterval,
    string? LatestInvoiceId,
    long? UnitAmount,
    string? Currency,
    DateTimeOffset? CurrentPeriodStart,
    DateTimeOffset? CurrentPeriodEnd,
    bool CancelAtPeriodEnd,
    IReadOnlyDictionary<string, string> Metadata);

public sealed record SubscriptionPriceChange(
    string SubscriptionId,
    string ItemId,
    string NewPriceId,
    string ProrationBehavior,
    IReadOnlyDictionary<string, string> Metadata,
    string IdempotencyKey);

public sealed record ChangePreview(long AmountDue, long Subtotal, long Total, string Currency, IReadOnlyList<ChangePreviewLine> Lines);

public sealed record ChangePreviewLine(string Description, long Amount, bool Proration);

public sealed record GatewayPrice(string Id, string ProductId, string? LookupKey, long UnitAmount, string Currency, string? Interval, bool Active, IReadOnlyDictionary<string, string> Metadata);

public sealed record GatewayProduct(string Id, string Name, string? Description, IReadOnlyDictionary<string, string> Metadata);

public sealed record NewPrice(string ProductId, string LookupKey, long UnitAmount, string Currency, string Interval, bool TransferLookupKey, IReadOnlyDictionary<string, string> Metadata, string IdempotencyKey);
