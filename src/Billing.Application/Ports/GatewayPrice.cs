using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Ports;

/// <summary>A Stripe price; <see cref="Cycle"/> is null for an interval the catalog does not sell (weekly, daily); <see cref="CurrencyOptions"/> holds its amounts in currencies other than <see cref="Currency"/>.</summary>
public sealed record GatewayPrice(
    string Id,
    string ProductId,
    string? LookupKey,
    long UnitAmount,
    string Currency,
    BillingCycle? Cycle,
    bool Active,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyDictionary<string, long>? CurrencyOptions = null,
    string? TaxBehavior = null)
{
    /// <summary>The amount in <paramref name="currency"/>, or null when the price is not sold in it.</summary>
    public long? AmountIn(string currency) =>
        string.Equals(currency, Currency, StringComparison.OrdinalIgnoreCase) ? UnitAmount
        : CurrencyOptions is not null && CurrencyOptions.TryGetValue(currency.ToLowerInvariant(), out var amount) ? amount
        : null;
}
