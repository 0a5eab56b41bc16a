using Billing.Domain.Accounts;
using Billing.Domain.Plans;

namespace Billing.Application.Accounts;

/// <summary>A change of plan scheduled for the end of the period: the plan it moves to, and when.</summary>
public sealed record ScheduledChangeView(string TierId, string BillingCycle, DateTimeOffset EffectiveAt)
{
    public static ScheduledChangeView? Of(ScheduledChange? change) =>
        change is null ? null : new ScheduledChangeView(change.Tier.Code(), change.Cycle.Code(), change.EffectiveAt);
}
