using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>A Stripe promotion code with its coupon, as far as redeeming it depends on them.</summary>
public sealed record GatewayPromotionCode(
    string Id,
    string Code,
    bool Active,
    GatewayCoupon Coupon,
    DateTimeOffset? ExpiresAt,
    int? MaxRedemptions,
    long TimesRedeemed);
