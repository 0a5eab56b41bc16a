using Billing.Domain.Accounts;
using Billing.Application.Common;
using Billing.Application.Catalog;
using Billing.Application.Ports;
using Billing.Application.Common.Results;

namespace Billing.Application.Catalog.Publish;

/// <summary>
/// The catalog's coupons and promotion codes into Stripe. Stripe never changes what a coupon takes off or a code's
/// limits once made, so a configured difference there is refused with a clear message (declare a new id or code);
/// only a coupon's name and whether a code is active are updated in place.
/// </summary>
public sealed class CouponPublisher(PlanCatalog catalog, ICatalogGateway gateway)
{
    public async Task<Result<IReadOnlyList<CatalogChange>>> PublishAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var changes = new List<CatalogChange>();
        foreach (var coupon in catalog.Coupons)
        {
            var wanted = new GatewayCoupon(coupon.Id, coupon.Name, coupon.PercentOff, coupon.AmountOff, coupon.Currency, coupon.Duration, coupon.DurationInMonths, coupon.AppliesTo.Select(catalog.ProductId).ToList());
            var found = await gateway.FindCouponAsync(coupon.Id, cancellationToken);
            if (!found.IsSuccess)
            {
                return found.Error!;
            }

            if (found.Value is not { } current)
            {
                changes.Add(new CatalogChange("create coupon", coupon.Id, Describe(wanted)));
                if (!dryRun && await gateway.CreateCouponAsync(wanted, $"billing-coupon-{coupon.Id}", cancellationToken) is { IsSuccess: false } failed)
                {
                    return failed.Error!;
                }
            }
            else if (current.PercentOff != wanted.PercentOff || current.AmountOff != wanted.AmountOff || current.Duration != wanted.Duration ||
                current.DurationInMonths != wanted.DurationInMonths || !current.AppliesToProducts.Order().SequenceEqual(wanted.AppliesToProducts.Order()) ||
                (wanted.AmountOff is not null && current.Currency != wanted.Currency))
            {
                return Error.Conflict("coupon_changed", $"Coupon {coupon.Id} is {Describe(current)} in Stripe but configured as {Describe(wanted)}; Stripe cannot change a coupon's terms, so declare the new terms under a new coupon id.");
            }
            else if (current.Name != wanted.Name)
            {
                changes.Add(new CatalogChange("rename coupon", coupon.Id, wanted.Name!));
                if (!dryRun && await gateway.RenameCouponAsync(coupon.Id, wanted.Name!, cancellationToken) is { IsSuccess: false } failed)
                {
                    return failed.Error!;
                }
            }

            foreach (var code in coupon.PromotionCodes)
            {
                var published = await PublishCodeAsync(coupon, code, dryRun, changes, cancellationToken);
                if (!published.IsSuccess)
                {
                    return published.Error!;
                }
            }
        }

        return changes;
    }

    private async Task<Result<bool>> PublishCodeAsync(CatalogCoupon coupon, CatalogPromotionCode code, bool dryRun, List<CatalogChange> changes, CancellationToken cancellationToken)
    {
        var found = await gateway.FindPromotionCodeAsync(code.Code, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        if (found.Value is not { } current)
        {
            changes.Add(new CatalogChange("create promotion code", code.Code, $"for coupon {coupon.Id}" + (code.MaxRedemptions is { } max ? $", at most {max} redemptions" : string.Empty) + (code.ExpiresAt is { } at ? $", until {at:u}" : string.Empty)));
            return dryRun || await gateway.CreatePromotionCodeAsync(new NewPromotionCode(code.Code, coupon.Id, code.MaxRedemptions, code.ExpiresAt, code.Active, $"billing-promotion-code-{code.Code}-{coupon.Id}"), cancellationToken) is not { IsSuccess: false } failed
                ? true
                : failed.Error!;
        }

        if (current.Coupon.Id != coupon.Id || current.MaxRedemptions != code.MaxRedemptions || current.ExpiresAt?.ToUnixTimeSeconds() != code.ExpiresAt?.ToUnixTimeSeconds())
        {
            return Error.Conflict("promotion_code_changed", $"Promotion code {code.Code} exists in Stripe for coupon {current.Coupon.Id} with other limits; Stripe cannot change them, so retire it (Active: false) and declare a new code.");
        }

        if (current.Active == code.Active)
        {
            return true;
        }

        changes.Add(new CatalogChange(code.Active ? "activate promotion code" : "deactivate promotion code", code.Code, $"coupon {coupon.Id}"));
        return dryRun || await gateway.SetPromotionCodeActiveAsync(current.Id, code.Active, cancellationToken) is not { IsSuccess: false } updated
            ? true
            : updated.Error!;
    }

    private static string Describe(GatewayCoupon coupon) =>
        (coupon.PercentOff is { } percent ? $"{percent}% off" : $"{coupon.AmountOff} {coupon.Currency} off") +
        $" {coupon.Duration.Code()}" + (coupon.DurationInMonths is { } months ? $" for {months} months" : string.Empty) +
        (coupon.AppliesToProducts.Count > 0 ? $" on {string.Join(", ", coupon.AppliesToProducts)}" : " on every product");
}
