using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Catalog;

/// <summary>
/// A tier and billing cycle the catalog sells, read once from what a user sent (<see cref="PlanCatalog.Choose"/>),
/// and carried as a value from there to Stripe.
/// </summary>
public sealed record PlanChoice(Tier Tier, BillingCycle Cycle)
{
    /// <summary>The Stripe lookup key of its price: <c>professional_monthly</c>.</summary>
    public string LookupKey => PlanCodes.LookupKey(Tier, Cycle);
}
