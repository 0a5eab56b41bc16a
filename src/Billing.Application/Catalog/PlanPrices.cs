using Billing.Application.Common;
using Billing.Application.Ports;
using Billing.Application.Common.Results;

namespace Billing.Application.Catalog;

/// <summary>Finds the Stripe price of a tier and cycle by its lookup key: price ids are never written into code or settings.</summary>
public sealed class PlanPrices(ICatalogGateway gateway)
{
    /// <summary>The active price of the choice, sold in <paramref name="currency"/>: one that is not is the catalog not yet synced.</summary>
    public async Task<Result<GatewayPrice>> FindAsync(PlanChoice choice, string currency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(choice);
        var lookupKey = choice.LookupKey;
        var found = await gateway.FindPricesByLookupKeysAsync([lookupKey], cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        if (found.Value.FirstOrDefault(p => p.Active) is not { } price)
        {
            return new Error(ErrorKind.NotConfigured, "price_not_in_stripe", $"Stripe has no active price with lookup key {lookupKey}; run the catalog sync command.");
        }

        return price.AmountIn(currency) is null
            ? new Error(ErrorKind.NotConfigured, "price_not_in_stripe", $"Stripe's price {price.Id} ({lookupKey}) has no {currency.ToUpperInvariant()} amount yet; run the catalog sync command.")
            : price;
    }
}
