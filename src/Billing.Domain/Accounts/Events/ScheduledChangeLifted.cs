namespace Billing.Domain.Accounts.Events;

/// <summary>A change of plan scheduled for the end of the period will not happen (lifted, replaced by an upgrade or a cancellation).</summary>
public sealed record ScheduledChangeLifted(string UserId, DateTimeOffset OccurredAt, string SubscriptionId) : AccountEvent(UserId, OccurredAt);
