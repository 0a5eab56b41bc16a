using Billing.Application.Common;
using Billing.Domain.Accounts;

namespace Billing.Application.Accounts;

/// <summary>A discount on the subscription as the SPA shows it.</summary>
public sealed record DiscountView(string Coupon, string Name, string? PromotionCode, decimal? PercentOff, long? AmountOff, string Duration, DateTimeOffset? EndsAt)
{
    public static IReadOnlyList<DiscountView> Of(AppliedDiscount? discount) =>
        discount is null ? [] : [new DiscountView(discount.CouponId, discount.Name, discount.PromotionCode, discount.PercentOff, discount.AmountOff, discount.Duration.Code(), discount.EndsAt)];
}
