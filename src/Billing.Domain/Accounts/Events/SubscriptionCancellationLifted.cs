namespace Billing.Domain.Accounts.Events;

/// <summary>A cancellation scheduled for the period's end was lifted: the subscription renews again.</summary>
public sealed record SubscriptionCancellationLifted(string UserId, DateTimeOffset OccurredAt, string SubscriptionId) : AccountEvent(UserId, OccurredAt);
