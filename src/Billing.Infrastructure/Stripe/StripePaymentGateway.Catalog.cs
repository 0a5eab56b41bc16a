using Billing.Application.Common.Limits;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;
using Microsoft.Extensions.Logging;
using Stripe;
using Stripe.Checkout;

namespace Billing.Infrastructure.Stripe;

/// <summary>The catalog and promotion calls of the Stripe adapter.</summary>
internal sealed partial class StripePaymentGateway
{
    public Task<Result<IReadOnlyList<GatewayPrice>>> FindPricesByLookupKeysAsync(IReadOnlyCollection<string> lookupKeys, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<GatewayPrice>>("find prices", async client =>
        {
            var prices = await new PriceService(client).ListAsync(
                new PriceListOptions { LookupKeys = [.. lookupKeys], Limit = 100, Expand = ["data.currency_options"] },
                cancellationToken: cancellationToken);
            return prices.Data.Select(StripeMapper.ToGatewayPrice).ToList();
        });

    public Task<Result<GatewayProduct?>> FindProductAsync(string productId, CancellationToken cancellationToken) =>
        CallAsync<GatewayProduct?>("find product", async client =>
        {
            try
            {
                return StripeMapper.ToGatewayProduct(await new ProductService(client).GetAsync(productId, cancellationToken: cancellationToken));
            }
            catch (StripeException e) when (e.StripeError?.Code == "resource_missing")
            {
                return null;
            }
        });

    public Task<Result<GatewayProduct>> UpsertProductAsync(GatewayProduct product, bool exists, CancellationToken cancellationToken) =>
        CallAsync("upsert product", async client =>
        {
            var service = new ProductService(client);
            var saved = exists
                ? await service.UpdateAsync(product.Id, new ProductUpdateOptions { Name = product.Name, Description = product.Description, Metadata = new Dictionary<string, string>(product.Metadata) }, cancellationToken: cancellationToken)
                : await service.CreateAsync(new ProductCreateOptions { Id = product.Id, Name = product.Name, Description = product.Description, Metadata = new Dictionary<string, string>(product.Metadata) }, cancellationToken: cancellationToken);
            return StripeMapper.ToGatewayProduct(saved);
        });

    public Task<Result<GatewayPrice>> CreatePriceAsync(NewPrice price, CancellationToken cancellationToken) =>
        CallAsync("create price", async client =>
            StripeMapper.ToGatewayPrice(await new PriceService(client).CreateAsync(
                new PriceCreateOptions
                {
                    Product = price.ProductId,
                    UnitAmount = price.UnitAmount,
                    Currency = price.Currency,
                    LookupKey = price.LookupKey,
                    TransferLookupKey = price.TransferLookupKey,
                    Metadata = new Dictionary<string, string>(price.Metadata),
                    Recurring = new PriceRecurringOptions { Interval = StripeIntervals.IntervalOf(price.Cycle) },
                    TaxBehavior = price.TaxBehavior,
                    CurrencyOptions = price.CurrencyOptions is { Count: > 0 } options
                        ? options.ToDictionary(o => o.Key, o => new PriceCurrencyOptionsOptions { UnitAmount = o.Value, TaxBehavior = price.TaxBehavior })
                        : null,
                    Expand = ["currency_options"],
                },
                Keyed(price.IdempotencyKey),
                cancellationToken)));

    public Task<Result<GatewayCoupon?>> FindCouponAsync(string couponId, CancellationToken cancellationToken) =>
        CallAsync<GatewayCoupon?>("find coupon", async client =>
        {
            try
            {
                return StripeMapper.ToGatewayCoupon(await new CouponService(client).GetAsync(couponId, new CouponGetOptions { Expand = ["applies_to"] }, cancellationToken: cancellationToken));
            }
            catch (StripeException e) when (e.StripeError?.Code == "resource_missing")
            {
                return null;
            }
        });

    public Task<Result<GatewayCoupon>> CreateCouponAsync(GatewayCoupon coupon, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("create coupon", async client =>
            StripeMapper.ToGatewayCoupon(await new CouponService(client).CreateAsync(
                new CouponCreateOptions
                {
                    Id = coupon.Id,
                    Name = coupon.Name,
                    PercentOff = coupon.PercentOff,
                    AmountOff = coupon.AmountOff,
                    Currency = coupon.AmountOff is null ? null : coupon.Currency,
                    Duration = StripeCouponDurations.ToStripe(coupon.Duration),
                    DurationInMonths = coupon.DurationInMonths,
                    AppliesTo = coupon.AppliesToProducts.Count == 0 ? null : new CouponAppliesToOptions { Products = [.. coupon.AppliesToProducts] },
                    Metadata = new Dictionary<string, string> { [BillingMetadata.ManagedBy] = BillingMetadata.ThisService },
                    Expand = ["applies_to"],
                },
                Keyed(idempotencyKey),
                cancellationToken)));

    public Task<Result<GatewayCoupon>> RenameCouponAsync(string couponId, string name, CancellationToken cancellationToken) =>
        CallAsync("rename coupon", async client =>
            StripeMapper.ToGatewayCoupon(await new CouponService(client).UpdateAsync(
                couponId,
                new CouponUpdateOptions { Name = name, Expand = ["applies_to"] },
                cancellationToken: cancellationToken)));

    public Task<Result<GatewayPromotionCode?>> FindPromotionCodeAsync(string code, CancellationToken cancellationToken) =>
        CallAsync<GatewayPromotionCode?>("find promotion code", async client =>
        {
            var found = await new PromotionCodeService(client).ListAsync(
                new PromotionCodeListOptions { Code = code, Limit = 10, Expand = ["data.promotion.coupon.applies_to"] },
                cancellationToken: cancellationToken);

            // A code is unique among active ones; inactive namesakes may remain from before.
            var promotion = found.Data.FirstOrDefault(p => p.Active) ?? found.Data.FirstOrDefault();
            return promotion is null ? null : StripeMapper.ToGatewayPromotionCode(promotion);
        });

    public Task<Result<GatewayPromotionCode>> CreatePromotionCodeAsync(NewPromotionCode code, CancellationToken cancellationToken) =>
        CallAsync("create promotion code", async client =>
            StripeMapper.ToGatewayPromotionCode(await new PromotionCodeService(client).CreateAsync(
                new PromotionCodeCreateOptions
                {
                    Code = code.Code,
                    Promotion = new PromotionCodePromotionOptions { Type = "coupon", Coupon = code.CouponId },
                    MaxRedemptions = code.MaxRedemptions,
                    ExpiresAt = code.ExpiresAt?.UtcDateTime,
                    Active = code.Active,
                    Metadata = new Dictionary<string, string> { [BillingMetadata.ManagedBy] = BillingMetadata.ThisService },
                    Expand = ["promotion.coupon.applies_to"],
                },
                Keyed(code.IdempotencyKey),
                cancellationToken)));

    public Task<Result<GatewayPromotionCode>> SetPromotionCodeActiveAsync(string promotionCodeId, bool active, CancellationToken cancellationToken) =>
        CallAsync("update promotion code", async client =>
            StripeMapper.ToGatewayPromotionCode(await new PromotionCodeService(client).UpdateAsync(
                promotionCodeId,
                new PromotionCodeUpdateOptions { Active = active, Expand = ["promotion.coupon.applies_to"] },
                cancellationToken: cancellationToken)));

    public Task<Result<GatewayPrice>> UpdatePriceMetadataAsync(string priceId, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        CallAsync("update price metadata", async client =>
            StripeMapper.ToGatewayPrice(await new PriceService(client).UpdateAsync(
                priceId,
                new PriceUpdateOptions { Metadata = new Dictionary<string, string>(metadata) },
                cancellationToken: cancellationToken)));
}
