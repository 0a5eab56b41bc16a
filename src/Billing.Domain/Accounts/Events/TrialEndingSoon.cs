namespace Billing.Domain.Accounts.Events;

/// <summary>The free trial ends in a few days (Stripe says so three days ahead); the user is told once per notice.</summary>
public sealed record TrialEndingSoon(string UserId, DateTimeOffset OccurredAt, string Occasion) : AccountEvent(UserId, OccurredAt);
