namespace Billing.Application.Common.Ports;

public sealed record NewPromotionCode(string Code, string CouponId, int? MaxRedemptions, DateTimeOffset? ExpiresAt, bool Active, string IdempotencyKey);
