namespace Billing.Domain.Accounts.Events;

/// <summary>The account now pays through this Stripe customer.</summary>
public sealed record StripeCustomerLinked(string UserId, DateTimeOffset OccurredAt, string CustomerId) : AccountEvent(UserId, OccurredAt);
