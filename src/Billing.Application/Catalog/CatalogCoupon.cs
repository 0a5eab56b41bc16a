using Billing.Domain.Accounts;
using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Catalog;

/// <summary>A checked coupon of the catalog: what it takes off, for how long, on which tiers, and its codes.</summary>
public sealed record CatalogCoupon(
    string Id,
    string Name,
    decimal? PercentOff,
    long? AmountOff,
    string Currency,
    DiscountDuration Duration,
    int? DurationInMonths,
    IReadOnlyList<Tier> AppliesTo,
    IReadOnlyList<CatalogPromotionCode> PromotionCodes);
