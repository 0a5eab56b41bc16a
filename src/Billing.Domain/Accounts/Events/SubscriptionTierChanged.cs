using Billing.Domain.Plans;

namespace Billing.Domain.Accounts.Events;

/// <summary>The live subscription moved to another tier or billing cycle.</summary>
public sealed record SubscriptionTierChanged(string UserId, DateTimeOffset OccurredAt, string SubscriptionId, Tier From, Tier To, BillingCycle? FromCycle, BillingCycle? ToCycle)
    : AccountEvent(UserId, OccurredAt);
