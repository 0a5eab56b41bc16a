using Billing.Application.Common.Results;
using Billing.Domain.Plans;

namespace Billing.Application.Common.Ports;

/// <summary>Everything the service asks of Stripe. Adapters map SDK types to these records; none cross this port.</summary>
public interface IPaymentGateway
{
    Task<Result<string>> CreateCustomerAsync(NewCustomer customer, CancellationToken cancellationToken);

    Task<Result<CheckoutSessionCreated>> CreateCheckoutSessionAsync(NewCheckoutSession session, CancellationToken cancellationToken);

    Task<Result<string>> CreatePortalSessionAsync(string customerId, string returnUrl, CancellationToken cancellationToken);

    Task<Result<IReadOnlyList<SavedPaymentMethod>>> ListPaymentMethodsAsync(string customerId, CancellationToken cancellationToken);

    Task<Result<GatewaySubscription>> GetSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken);

    Task<Result<GatewaySubscription>> CancelSubscriptionAsync(string subscriptionId, bool atPeriodEnd, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result<GatewaySubscription>> ChangeSubscriptionPriceAsync(SubscriptionPriceChange change, CancellationToken cancellationToken);

    Task<Result<ChangePreview>> PreviewSubscriptionPriceChangeAsync(SubscriptionPriceChange change, string customerId, CancellationToken cancellationToken);

    Task<Result<IReadOnlyList<GatewayPrice>>> FindPricesByLookupKeysAsync(IReadOnlyCollection<string> lookupKeys, CancellationToken cancellationToken);

    Task<Result<GatewayProduct?>> FindProductAsync(string productId, CancellationToken cancellationToken);

    Task<Result<GatewayProduct>> UpsertProductAsync(GatewayProduct product, bool exists, CancellationToken cancellationToken);

    Task<Result<GatewayPrice>> CreatePriceAsync(NewPrice price, CancellationToken cancellationToken);
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
    string IdempotencyKey);

public sealed record CheckoutSessionCreated(string SessionId, string Url);

public sealed record SavedPaymentMethod(string Id, string Brand, string Last4, int ExpiryMonth, int ExpiryYear, bool IsDefault);

/// <summary>A Stripe subscription with the one item this service sells on it.</summary>
public sealed record GatewaySubscription(
    string Id,
    string CustomerId,
    string Status,
    string ItemId,
    string PriceId,
    string? PriceLookupKey,
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

public sealed record GatewayPrice(string Id, string ProductId, string? LookupKey, long UnitAmount, string Currency, string? Interval, bool Active);

public sealed record GatewayProduct(string Id, string Name, string? Description, IReadOnlyDictionary<string, string> Metadata);

public sealed record NewPrice(string ProductId, string LookupKey, long UnitAmount, string Currency, string Interval, bool TransferLookupKey, string IdempotencyKey);
