using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Ports;

/// <summary>
/// A Stripe subscription with the one item this service sells on it. The price is as it is now: after a catalog
/// change its lookup key may have moved to a newer price, while its product and tier metadata stay.
/// Read from Stripe, it carries its latest invoice and discount expanded and <see cref="ObservedAt"/> (Stripe's clock
/// when it answered); carried by an event, only their ids (<see cref="LatestInvoiceId"/>, <see cref="DiscountIds"/>).
/// <see cref="UnitAmount"/> is what the item bills per cycle, its <see cref="Quantity"/> (the seats) included.
/// <see cref="ScheduleId"/> names the subscription schedule that manages it, if one does.
/// </summary>
public sealed record GatewaySubscription(
    string Id,
    string CustomerId,
    string Status,
    DateTimeOffset Created,
    string ItemId,
    string PriceId,
    string? PriceLookupKey,
    string ProductId,
    string? PriceTier,
    BillingCycle? PriceCycle,
    string? LatestInvoiceId,
    long? UnitAmount,
    string? Currency,
    DateTimeOffset? CurrentPeriodStart,
    DateTimeOffset? CurrentPeriodEnd,
    bool CancelAtPeriodEnd,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset? EndedAt = null,
    GatewayInvoice? LatestInvoice = null,
    DateTimeOffset? TrialEnd = null,
    GatewayDiscount? Discount = null,
    IReadOnlyList<string>? DiscountIds = null,
    DateTimeOffset? ObservedAt = null,
    int? Quantity = null,
    string? ScheduleId = null)
{
    /// <summary>Live in this service's terms (trialing, active, past due, …); a status it does not know is not.</summary>
    public bool IsLive => PlanCodes.TryParseStatus(Status, out var status) && status.IsLive();
}
