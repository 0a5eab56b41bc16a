namespace Billing.Domain.Accounts.Events;

/// <summary>The customer saved a new card, which became the default; the user is told, so a change they did not make is noticed.</summary>
public sealed record PaymentMethodReplaced(string UserId, DateTimeOffset OccurredAt, string Occasion) : AccountEvent(UserId, OccurredAt);
