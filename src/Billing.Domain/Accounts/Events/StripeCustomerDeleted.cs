namespace Billing.Domain.Accounts.Events;

/// <summary>The account's Stripe customer was deleted in Stripe; the account let go of it and of its subscription.</summary>
public sealed record StripeCustomerDeleted(string UserId, DateTimeOffset OccurredAt, string CustomerId) : AccountEvent(UserId, OccurredAt);
