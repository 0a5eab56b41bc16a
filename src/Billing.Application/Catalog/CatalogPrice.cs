using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Catalog;

/// <summary>
/// A price of the catalog: its amount in the catalog's default currency, and in each other currency it is sold in
/// (<see cref="CurrencyOptions"/>, Stripe's <c>currency_options</c> of the same price).
/// </summary>
public sealed record CatalogPrice(Tier Tier, BillingCycle Cycle, string LookupKey, long UnitAmount, string Currency, IReadOnlyDictionary<string, long> CurrencyOptions)
{
    public CatalogPrice(Tier tier, BillingCycle cycle, string lookupKey, long unitAmount, string currency)
        : this(tier, cycle, lookupKey, unitAmount, currency, new Dictionary<string, long>())
    {
    }

    /// <summary>The amount in <paramref name="currency"/>, or null when this price is not sold in it.</summary>
    public long? AmountIn(string currency) =>
        string.Equals(currency, Currency, StringComparison.OrdinalIgnoreCase) ? UnitAmount : CurrencyOptions.TryGetValue(currency.ToLowerInvariant(), out var amount) ? amount : null;

    /// <summary>The default currency first, then the others in order.</summary>
    public IEnumerable<string> Currencies => new[] { Currency }.Concat(CurrencyOptions.Keys.Order(StringComparer.Ordinal));
}
