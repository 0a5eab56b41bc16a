namespace Billing.Domain.Accounts.Events;

/// <summary>A subscription was bought with a bank debit that takes days: the first payment is on its way, not yet paid.</summary>
public sealed record FirstPaymentPending(string UserId, DateTimeOffset OccurredAt, string SessionId) : AccountEvent(UserId, OccurredAt);
