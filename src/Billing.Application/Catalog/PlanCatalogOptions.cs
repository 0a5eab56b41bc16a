using Billing.Application.Common;
namespace Billing.Application.Catalog;

/// <summary>The catalog as configured (section <c>Billing:Catalog</c>): prices in minor units by tier and cycle.</summary>
public sealed class PlanCatalogOptions
{
    public const string Section = "Billing:Catalog";

    public string Currency { get; set; } = "usd";

    /// <summary>Prefix of the Stripe product ids this service owns, so a shared Stripe account never mixes products.</summary>
    public string ProductIdPrefix { get; set; } = "billing_";

    public Dictionary<string, TierDefinition> Tiers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Coupons and their promotion codes, created in Stripe by <c>catalog sync</c>.</summary>
    public Dictionary<string, CouponDefinition> Coupons { get; set; } = new(StringComparer.Ordinal);
}
