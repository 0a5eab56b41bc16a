using Billing.Application.Common;
using Billing.Application.Common.Results;

namespace Billing.Application.Ports;

/// <summary>The plan catalog in the payment provider: products, prices (by lookup key), coupons and promotion codes. Adapters map SDK types to this port's records; none cross it.</summary>
public interface ICatalogGateway
{
    Task<Result<IReadOnlyList<GatewayPrice>>> FindPricesByLookupKeysAsync(IReadOnlyCollection<string> lookupKeys, CancellationToken cancellationToken);

    Task<Result<GatewayProduct?>> FindProductAsync(string productId, CancellationToken cancellationToken);

    Task<Result<GatewayProduct>> UpsertProductAsync(GatewayProduct product, bool exists, CancellationToken cancellationToken);

    Task<Result<GatewayPrice>> CreatePriceAsync(NewPrice price, CancellationToken cancellationToken);

    Task<Result<GatewayPrice>> UpdatePriceMetadataAsync(string priceId, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    Task<Result<GatewayCoupon?>> FindCouponAsync(string couponId, CancellationToken cancellationToken);

    Task<Result<GatewayCoupon>> CreateCouponAsync(GatewayCoupon coupon, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Only a coupon's name can change in Stripe.</summary>
    Task<Result<GatewayCoupon>> RenameCouponAsync(string couponId, string name, CancellationToken cancellationToken);

    /// <summary>The promotion code customers type (case-insensitive), with its coupon; null when Stripe has none.</summary>
    Task<Result<GatewayPromotionCode?>> FindPromotionCodeAsync(string code, CancellationToken cancellationToken);

    Task<Result<GatewayPromotionCode>> CreatePromotionCodeAsync(NewPromotionCode code, CancellationToken cancellationToken);

    Task<Result<GatewayPromotionCode>> SetPromotionCodeActiveAsync(string promotionCodeId, bool active, CancellationToken cancellationToken);
}
