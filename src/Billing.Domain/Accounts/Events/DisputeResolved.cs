namespace Billing.Domain.Accounts.Events;

/// <summary>No payment of this account counts as disputed any more (the dispute was won or withdrawn).</summary>
public sealed record DisputeResolved(string UserId, DateTimeOffset OccurredAt) : AccountEvent(UserId, OccurredAt);
