namespace Billing.Domain.Plans;

/// <summary>Which changes of plan give the customer less: those wait for the end of the period they paid for.</summary>
public static class PlanChange
{
    /// <summary>
    /// A lower tier, or the same tier from yearly to monthly, is a downgrade. A higher tier is an upgrade whatever the
    /// cycle, and so is the same tier from monthly to yearly.
    /// </summary>
    public static bool IsDowngrade(Tier fromTier, BillingCycle fromCycle, Tier toTier, BillingCycle toCycle) =>
        toTier < fromTier || (toTier == fromTier && fromCycle == BillingCycle.Yearly && toCycle == BillingCycle.Monthly);
}
