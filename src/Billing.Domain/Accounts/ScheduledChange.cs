using Billing.Domain.Plans;

namespace Billing.Domain.Accounts;

/// <summary>
/// A change of plan Stripe will make at <see cref="EffectiveAt"/> (the end of the period paid for), held by the
/// subscription schedule <see cref="ScheduleId"/>. Until then the account keeps the plan it paid for.
/// </summary>
public sealed record ScheduledChange(string ScheduleId, Tier Tier, BillingCycle Cycle, DateTimeOffset EffectiveAt);
