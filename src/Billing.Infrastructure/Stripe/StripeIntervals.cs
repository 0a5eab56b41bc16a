using Billing.Domain.Plans;

namespace Billing.Infrastructure.Stripe;

/// <summary>Stripe's words for a price's recurring interval, kept on this side of the ports.</summary>
internal static class StripeIntervals
{
    /// <summary>The cycle a recurring interval bills on; null for one the catalog does not sell (<c>week</c>, <c>day</c>, a one-off price).</summary>
    public static BillingCycle? CycleOf(string? interval) => interval switch
    {
        "month" => BillingCycle.Monthly,
        "year" => BillingCycle.Yearly,
        _ => null,
    };

    public static string IntervalOf(BillingCycle cycle) => cycle switch
    {
        BillingCycle.Yearly => "year",
        _ => "month",
    };
}
