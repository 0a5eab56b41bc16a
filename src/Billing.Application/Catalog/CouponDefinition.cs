using Billing.Domain.Accounts;
using Billing.Application.Common;
namespace Billing.Application.Catalog;

/// <summary>A coupon as configured (<c>Billing:Catalog:Coupons:{id}</c>), with the promotion codes users type for it.</summary>
public sealed class CouponDefinition
{
    public string? Name { get; set; }

    /// <summary>Percent off (0–100, up to two decimals); or give <see cref="AmountOff"/>.</summary>
    public decimal? PercentOff { get; set; }

    /// <summary>Amount off in minor units of the catalog's currency.</summary>
    public long? AmountOff { get; set; }

    /// <summary>Stripe's duration: <c>once</c>, <c>repeating</c> (with <see cref="DurationInMonths"/>) or <c>forever</c>.</summary>
    public string Duration { get; set; } = DiscountDuration.Once.Code();

    public int? DurationInMonths { get; set; }

    /// <summary>The tiers it may be used for; empty means every tier.</summary>
    public List<string> AppliesTo { get; set; } = [];

    public Dictionary<string, PromotionCodeDefinition> PromotionCodes { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
