using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>
/// A recurring price to create: its amount in the default currency, the same price in other currencies, and
/// whether tax is added to it or included (null leaves Stripe's <c>unspecified</c>).
/// </summary>
public sealed record NewPrice(
    string ProductId,
    string LookupKey,
    long UnitAmount,
    string Currency,
    string Interval,
    bool TransferLookupKey,
    IReadOnlyDictionary<string, string> Metadata,
    string IdempotencyKey,
    IReadOnlyDictionary<string, long>? CurrencyOptions = null,
    string? TaxBehavior = null);
