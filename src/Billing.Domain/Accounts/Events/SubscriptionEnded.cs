using Billing.Domain.Plans;

namespace Billing.Domain.Accounts.Events;

/// <summary>The subscription ended (canceled, or its first payment expired); the account fell back to the trial tier.</summary>
public sealed record SubscriptionEnded(string UserId, DateTimeOffset OccurredAt, string SubscriptionId, SubscriptionStatus Status)
    : AccountEvent(UserId, OccurredAt);
