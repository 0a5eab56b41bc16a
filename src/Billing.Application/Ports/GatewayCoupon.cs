using Billing.Domain.Accounts;
using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>A Stripe coupon: what it takes off and for how long; <see cref="AppliesToProducts"/> empty means every product.</summary>
public sealed record GatewayCoupon(
    string Id,
    string? Name,
    decimal? PercentOff,
    long? AmountOff,
    string? Currency,
    DiscountDuration Duration,
    int? DurationInMonths,
    IReadOnlyList<string> AppliesToProducts,
    bool Valid = true);
