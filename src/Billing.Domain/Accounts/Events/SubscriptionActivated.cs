using Billing.Domain.Plans;

namespace Billing.Domain.Accounts.Events;

/// <summary>A subscription began to give access (active or trialing) where none did before, or after a failed payment.</summary>
public sealed record SubscriptionActivated(string UserId, DateTimeOffset OccurredAt, string SubscriptionId, Tier Tier, BillingCycle? Cycle, SubscriptionStatus Status)
    : AccountEvent(UserId, OccurredAt);
