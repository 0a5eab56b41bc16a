using Billing.Application.Common;
namespace Billing.Application.Ports;

public sealed record NewPromotionCode(string Code, string CouponId, int? MaxRedemptions, DateTimeOffset? ExpiresAt, bool Active, string IdempotencyKey);
