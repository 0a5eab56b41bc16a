using Billing.Application.Common.Catalog;
using Billing.Application.Common.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;

namespace Billing.Application.Common.Accounts;

/// <summary>Reads a Stripe subscription in billing terms: the tier and cycle come from the price's lookup key, never from metadata.</summary>
public sealed class SubscriptionTranslator(PlanCatalog catalog)
{
    public Result<SubscriptionSnapshot> Translate(GatewaySubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (!PlanCodes.TryParseStatus(subscription.Status, out var status))
        {
            return new Error(ErrorKind.UpstreamUnavailable, "unknown_subscription_status", $"Stripe reported a subscription status this service does not know: {subscription.Status}.");
        }

        if (catalog.FindByLookupKey(subscription.PriceLookupKey) is not { } price)
        {
            return new Error(ErrorKind.Conflict, "price_not_in_catalog", $"Subscription {subscription.Id} is on price {subscription.PriceId}, whose lookup key is not in the plan catalog.");
        }

        return new SubscriptionSnapshot(
            subscription.Id,
            subscription.CustomerId,
            status,
            price.Tier,
            price.Cycle,
            subscription.CurrentPeriodStart,
            subscription.CurrentPeriodEnd,
            subscription.CancelAtPeriodEnd,
            subscription.UnitAmount ?? price.UnitAmount,
            subscription.Currency ?? price.Currency);
    }
}
