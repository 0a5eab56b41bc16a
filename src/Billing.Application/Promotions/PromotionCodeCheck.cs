using Billing.Application.Common;
using Billing.Application.Catalog;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;

namespace Billing.Application.Promotions;

/// <summary>
/// Whether a promotion code a user typed can be redeemed on a tier, asked of Stripe (codes may also be made in
/// its dashboard): it must exist, be active, unexpired, not used up, and its coupon valid for that tier's product.
/// </summary>
public sealed class PromotionCodeCheck(ICatalogGateway gateway, PlanCatalog catalog, TimeProvider clock)
{
    public const string Field = "promotion_code";

    public async Task<Result<GatewayPromotionCode>> RedeemableAsync(string code, Tier tier, CancellationToken cancellationToken)
    {
        var found = await gateway.FindPromotionCodeAsync(code.Trim(), cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        if (found.Value is not { } promotion)
        {
            return Error.Invalid(Field, "promotion_code_unknown", $"There is no promotion code {code}.");
        }

        if (!promotion.Active || !promotion.Coupon.Valid || promotion.ExpiresAt <= clock.GetUtcNow() ||
            (promotion.MaxRedemptions is { } max && promotion.TimesRedeemed >= max))
        {
            return Error.Invalid(Field, "promotion_code_expired", $"The promotion code {code} has expired or has been used up.");
        }

        var product = catalog.ProductId(tier);
        if (promotion.Coupon.AppliesToProducts.Count > 0 && !promotion.Coupon.AppliesToProducts.Contains(product))
        {
            return Error.Invalid(Field, "promotion_code_not_applicable", $"The promotion code {code} is not valid for the {tier.Code()} tier.");
        }

        return promotion;
    }
}
