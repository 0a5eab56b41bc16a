using Billing.Application.Common.Ports;
using Billing.Application.Common.Results;

namespace Billing.Application.Common.Catalog;

/// <summary>Finds the Stripe price of a tier and cycle by its lookup key: price ids are never written into code or settings.</summary>
public sealed class PlanPrices(IPaymentGateway gateway)
{
    public async Task<Result<GatewayPrice>> FindAsync(PlanChoice choice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(choice);
        var lookupKey = choice.LookupKey;
        var found = await gateway.FindPricesByLookupKeysAsync([lookupKey], cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        return found.Value.FirstOrDefault(p => p.Active) is { } price
            ? price
            : new Error(ErrorKind.NotConfigured, "price_not_in_stripe", $"Stripe has no active price with lookup key {lookupKey}; run the catalog sync command.");
    }
}
