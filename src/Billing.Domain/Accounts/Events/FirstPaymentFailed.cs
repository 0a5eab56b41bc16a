namespace Billing.Domain.Accounts.Events;

/// <summary>
/// The bank debit of a subscription's first payment failed: the subscription was never paid for, so it ends and the
/// user may check out again (told once, by this event).
/// </summary>
public sealed record FirstPaymentFailed(string UserId, DateTimeOffset OccurredAt, string SessionId, string? SubscriptionId) : AccountEvent(UserId, OccurredAt);
