namespace Billing.Domain.Accounts.Events;

/// <summary>The bank debit of a subscription's first payment went through: the subscription is paid for.</summary>
public sealed record FirstPaymentSucceeded(string UserId, DateTimeOffset OccurredAt, string SessionId) : AccountEvent(UserId, OccurredAt);
