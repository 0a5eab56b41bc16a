namespace Billing.Domain.Accounts.Events;

/// <summary>A payment of this account is disputed (open, or lost): access may be suspended while it is.</summary>
public sealed record DisputeOpened(string UserId, DateTimeOffset OccurredAt) : AccountEvent(UserId, OccurredAt);
