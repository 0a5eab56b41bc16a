using Billing.Domain.Accounts;
using Billing.Domain.Plans;

namespace Billing.Domain.Revenue;

/// <summary>How much revenue a price brings in, the one rule revenue movements and MRR share.</summary>
public static class RunRate
{
    /// <summary>The revenue a price brings in a year at its recurring discount: a whole number, twelve times MRR.</summary>
    public static long? Annual(long? amount, BillingCycle? cycle, AppliedDiscount? discount, DateTimeOffset now)
    {
        if (amount is not { } price || cycle is not { } billed)
        {
            return null;
        }

        var recurring = discount is { } d && (d.Duration == DiscountDuration.Forever || (d.Duration == DiscountDuration.Repeating && d.EndsAt > now))
            ? d.AmountAfter(price)
            : price;
        return billed == BillingCycle.Yearly ? recurring : recurring * 12;
    }
}
