namespace Billing.Domain.Accounts.Events;

/// <summary>The subscription will end at the end of its period.</summary>
public sealed record SubscriptionCancellationScheduled(string UserId, DateTimeOffset OccurredAt, string SubscriptionId, DateTimeOffset? EndsAt)
    : AccountEvent(UserId, OccurredAt);
