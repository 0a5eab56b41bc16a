using Billing.Application.Ports;
using Riok.Mapperly.Abstractions;
using Stripe;

namespace Billing.Infrastructure.Stripe;

/// <summary>Stripe.net types to the records of the payment port; generated at compile time, no reflection.</summary>
[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
internal static partial class StripeMapper
{
    [MapProperty(nameof(Price.ProductId), nameof(GatewayPrice.ProductId))]
    [MapPropertyFromSource(nameof(GatewayPrice.Cycle), Use = nameof(CycleOf))]
    [MapPropertyFromSource(nameof(GatewayPrice.UnitAmount), Use = nameof(UnitAmountOf))]
    [MapPropertyFromSource(nameof(GatewayPrice.Metadata), Use = nameof(PriceMetadataOf))]
    [MapPropertyFromSource(nameof(GatewayPrice.CurrencyOptions), Use = nameof(CurrencyOptionsOf))]
    public static partial GatewayPrice ToGatewayPrice(Price price);

    /// <summary>Stripe lists the default currency among the options too (when expanded); the port keeps only the others.</summary>
    private static IReadOnlyDictionary<string, long> CurrencyOptionsOf(Price price) =>
        (price.CurrencyOptions ?? [])
            .Where(o => o.Key != price.Currency && o.Value?.UnitAmount is not null)
            .ToDictionary(o => o.Key, o => o.Value.UnitAmount!.Value);

    /// <summary>What one unit of the price costs in <paramref name="currency"/>; null when the options that say were not expanded.</summary>
    private static long? UnitAmountIn(Price price, string? currency) =>
        currency is null || currency == price.Currency ? price.UnitAmount
        : price.CurrencyOptions?.GetValueOrDefault(currency)?.UnitAmount;

    [MapPropertyFromSource(nameof(GatewayProduct.Metadata), Use = nameof(MetadataOf))]
    public static partial GatewayProduct ToGatewayProduct(Product product);

    private static long UnitAmountOf(Price price) => price.UnitAmount ?? 0;

    private static Billing.Domain.Plans.BillingCycle? CycleOf(Price price) => StripeIntervals.CycleOf(price.Recurring?.Interval);

    private static IReadOnlyDictionary<string, string> PriceMetadataOf(Price price) =>
        price.Metadata ?? new Dictionary<string, string>();

    private static IReadOnlyDictionary<string, string> MetadataOf(Product product) =>
        product.Metadata ?? new Dictionary<string, string>();

    public static SavedPaymentMethod ToSavedPaymentMethod(PaymentMethod method, string? defaultId) => new(
        method.Id,
        method.Card?.Brand ?? method.Type,
        method.Card?.Last4 ?? method.SepaDebit?.Last4 ?? method.UsBankAccount?.Last4 ?? method.BacsDebit?.Last4 ?? string.Empty,
        (int?)method.Card?.ExpMonth,
        (int?)method.Card?.ExpYear,
        method.Id == defaultId,
        method.Type);

    public static GatewaySubscription ToGatewaySubscription(Subscription subscription)
    {
        var item = subscription.Items?.Data?.FirstOrDefault()
            ?? throw new InvalidOperationException($"Stripe subscription {subscription.Id} has no items.");
        return new GatewaySubscription(
            subscription.Id,
            subscription.CustomerId,
            subscription.Status,
            Utc(subscription.Created) ?? DateTimeOffset.MinValue,
            item.Id,
            item.Price.Id,
            item.Price.LookupKey,
            item.Price.ProductId,
            item.Price.Metadata?.GetValueOrDefault(BillingMetadata.Tier),
            StripeIntervals.CycleOf(item.Price.Recurring?.Interval),
            subscription.LatestInvoiceId,
            UnitAmountIn(item.Price, subscription.Currency) * item.Quantity,
            subscription.Currency ?? item.Price.Currency,
            Utc(item.CurrentPeriodStart),
            Utc(item.CurrentPeriodEnd),
            subscription.CancelAtPeriodEnd,
            subscription.Metadata ?? new Dictionary<string, string>(),
            subscription.EndedAt is { } ended ? Utc(ended) : null,
            subscription.LatestInvoice is { } invoice ? ToGatewayInvoice(invoice) : null,
            subscription.TrialEnd is { } trialEnd ? Utc(trialEnd) : null,
            subscription.Discounts?.FirstOrDefault(d => d?.Source?.Coupon is not null) is { } discount
                ? new GatewayDiscount(ToGatewayCoupon(discount.Source.Coupon), discount.PromotionCode?.Code, discount.End is { } end ? Utc(end) : null, discount.Id)
                : null,
            subscription.DiscountIds?.Where(id => id is not null).ToList() ?? [],
            subscription.StripeResponse?.Date,
            (int)Math.Clamp(item.Quantity, 0, int.MaxValue),
            subscription.ScheduleId);
    }

    public static GatewayCoupon ToGatewayCoupon(Coupon coupon) => new(
        coupon.Id,
        coupon.Name,
        coupon.PercentOff,
        coupon.AmountOff,
        coupon.Currency,
        StripeCouponDurations.Of(coupon.Duration),
        (int?)coupon.DurationInMonths,
        coupon.AppliesTo?.Products ?? [],
        coupon.Valid);

    public static GatewayPromotionCode ToGatewayPromotionCode(PromotionCode promotion) => new(
        promotion.Id,
        promotion.Code,
        promotion.Active,
        promotion.Promotion?.Coupon is { } coupon ? ToGatewayCoupon(coupon) : new GatewayCoupon(promotion.Promotion?.CouponId ?? string.Empty, null, null, null, null, Billing.Domain.Accounts.DiscountDuration.Once, null, [], Valid: false),
        promotion.ExpiresAt is { } expires ? Utc(expires) : null,
        (int?)promotion.MaxRedemptions,
        promotion.TimesRedeemed);

    public static GatewayInvoice ToGatewayInvoice(Invoice invoice) => new(
        invoice.Id,
        StripeInvoiceStatuses.Of(invoice.Status),
        invoice.HostedInvoiceUrl,
        invoice.NextPaymentAttempt is { } next ? Utc(next) : null,
        Utc(invoice.Created) ?? DateTimeOffset.MinValue,
        invoice.Total,
        TaxOf(invoice));

    /// <summary>Stripe lists each tax of an invoice in <c>total_taxes</c> (empty or null when none is charged).</summary>
    private static long TaxOf(Invoice invoice) => invoice.TotalTaxes?.Sum(t => t.Amount) ?? 0;

    public static Billing.Domain.Invoices.InvoiceFacts ToInvoiceFacts(Invoice invoice) => new(
        invoice.Id,
        invoice.CustomerId,
        invoice.Parent?.SubscriptionDetails?.SubscriptionId,
        invoice.Number,
        StripeInvoiceStatuses.Known(invoice.Status),
        invoice.Currency,
        invoice.Total,
        invoice.AmountPaid,
        invoice.AmountDue,
        Utc(invoice.PeriodStart),
        Utc(invoice.PeriodEnd),
        Utc(invoice.Created) ?? DateTimeOffset.MinValue,
        invoice.HostedInvoiceUrl,
        invoice.InvoicePdf,
        TaxOf(invoice),
        invoice.NextPaymentAttempt is { } nextAttempt ? Utc(nextAttempt) : null,
        (invoice.EndingBalance ?? invoice.StartingBalance) - invoice.StartingBalance);

    public static GatewayRefund ToGatewayRefund(Refund refund) => new(
        refund.Id,
        refund.Amount,
        refund.Currency,
        StripeStates.Refund(refund.Status),
        refund.Reason,
        refund.PaymentIntentId,
        Utc(refund.Created) ?? DateTimeOffset.MinValue,
        refund.Metadata?.GetValueOrDefault("invoice_id"),
        refund.ChargeId,
        refund.Metadata?.GetValueOrDefault("billing_request"));

    public static ChangePreview ToChangePreview(Invoice invoice) => new(
        invoice.AmountDue,
        invoice.Subtotal,
        invoice.Total,
        invoice.Currency,
        (invoice.Lines?.Data ?? []).Select(l => new ChangePreviewLine(
            l.Description ?? string.Empty,
            l.Amount,
            l.Parent?.SubscriptionItemDetails?.Proration ?? false)).ToList(),
        TaxOf(invoice));

    private static DateTimeOffset? Utc(DateTime value) =>
        value == default ? null : new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
