using Billing.Application.Common;
using Billing.Domain.Plans;

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
    BillingCycle Cycle,
    bool TransferLookupKey,
    IReadOnlyDictionary<string, string> Metadata,
    string IdempotencyKey,
    IReadOnlyDictionary<string, long>? CurrencyOptions = null,
    string? TaxBehavior = null);
