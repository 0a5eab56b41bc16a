using Billing.Domain.Plans;

namespace Billing.Domain.Accounts.Events;

/// <summary>A change of plan was scheduled for the end of the period; access stays what was paid for until then.</summary>
public sealed record SubscriptionChangeScheduled(string UserId, DateTimeOffset OccurredAt, string SubscriptionId, Tier Tier, BillingCycle Cycle, DateTimeOffset EffectiveAt) : AccountEvent(UserId, OccurredAt);
