namespace Billing.Domain.Accounts.Events;

/// <summary>Stripe paused the subscription (a trial ended without a card): it gives no access until a card is added.</summary>
public sealed record SubscriptionSuspended(string UserId, DateTimeOffset OccurredAt, string SubscriptionId) : AccountEvent(UserId, OccurredAt);
