using Billing.Application.Common;
using Billing.Application.Catalog;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;

namespace Billing.Application.Accounts;

/// <summary>
/// Reads a Stripe subscription in billing terms. The tier comes from the price's tier metadata or its product,
/// both stable across price versions (catalog sync writes them); a lookup key moves to the newest price, so it
/// is only the last resort. The cycle comes from the price's interval.
/// </summary>
public sealed class SubscriptionTranslator(PlanCatalog catalog)
{
    public Result<SubscriptionSnapshot> Translate(GatewaySubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (!PlanCodes.TryParseStatus(subscription.Status, out var status))
        {
            return new Error(ErrorKind.UpstreamUnavailable, "unknown_subscription_status", $"Stripe reported a subscription status this service does not know: {subscription.Status}.");
        }

        var byLookupKey = catalog.FindByLookupKey(subscription.PriceLookupKey);
        Tier? tier = PlanCodes.TryParseTier(subscription.PriceTier, out var tagged) ? tagged
            : catalog.Tiers.FirstOrDefault(t => catalog.ProductId(t.Tier) == subscription.ProductId) is { } owned ? owned.Tier
            : byLookupKey?.Tier;
        var cycle = subscription.PriceCycle ?? byLookupKey?.Cycle;
        if (tier is null || cycle is null)
        {
            return new Error(ErrorKind.Conflict, "price_not_in_catalog", $"Subscription {subscription.Id} is on price {subscription.PriceId} of product {subscription.ProductId}, which names no tier of the plan catalog.");
        }

        var price = catalog.Find(tier.Value, cycle.Value);
        return new SubscriptionSnapshot(
            subscription.Id,
            subscription.CustomerId,
            status,
            tier.Value,
            cycle.Value,
            subscription.CurrentPeriodStart,
            subscription.CurrentPeriodEnd,
            subscription.CancelAtPeriodEnd,
            subscription.UnitAmount ?? (subscription.Currency is { } currency ? price?.AmountIn(currency) : price?.UnitAmount),
            subscription.Currency ?? price?.Currency,
            subscription.EndedAt,
            subscription.LatestInvoice is { Status: Billing.Domain.Invoices.InvoiceStatus.Open } open
                ? new OpenInvoice(open.Id, open.HostedInvoiceUrl, open.NextPaymentAttempt, open.Created)
                : null,
            subscription.TrialEnd,
            subscription.Discount is { } discount
                ? new AppliedDiscount(discount.Coupon.Id, discount.Coupon.Name ?? discount.Coupon.Id, discount.PromotionCode, discount.Coupon.PercentOff, discount.Coupon.AmountOff, discount.Coupon.Duration, discount.End, discount.Id)
                : null,
            subscription.LatestInvoice?.Total,
            subscription.LatestInvoice?.Tax,
            subscription.LatestInvoiceId,
            subscription.Quantity,
            subscription.ScheduleId);
    }
}
