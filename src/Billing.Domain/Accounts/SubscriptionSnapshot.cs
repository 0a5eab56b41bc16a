using Billing.Domain.Plans;

namespace Billing.Domain.Accounts;

/// <summary>
/// The state of one Stripe subscription as Stripe reported it, already translated into billing terms
/// (tier and cycle come from the price's lookup key, never from metadata that may be stale), with its latest
/// invoice when that is still open, the latest invoice's total and tax, the seats it bills for (its quantity;
/// null when the report does not say), and the subscription schedule that manages it, if any.
/// </summary>
public sealed record SubscriptionSnapshot(
    string SubscriptionId,
    string CustomerId,
    SubscriptionStatus Status,
    Tier Tier,
    BillingCycle Cycle,
    DateTimeOffset? CurrentPeriodStart,
    DateTimeOffset? CurrentPeriodEnd,
    bool CancelAtPeriodEnd,
    long? AmountMinor,
    string? Currency,
    DateTimeOffset? EndedAt = null,
    OpenInvoice? OpenInvoice = null,
    DateTimeOffset? TrialEnd = null,
    AppliedDiscount? Discount = null,
    long? LatestInvoiceTotal = null,
    long? LatestInvoiceTax = null,
    string? LatestInvoiceId = null,
    int? Seats = null,
    string? ScheduleId = null);
