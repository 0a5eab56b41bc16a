using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>A discount on a subscription: its coupon, the promotion code that brought it, and when it ends.</summary>
public sealed record GatewayDiscount(GatewayCoupon Coupon, string? PromotionCode, DateTimeOffset? End, string? Id = null);
