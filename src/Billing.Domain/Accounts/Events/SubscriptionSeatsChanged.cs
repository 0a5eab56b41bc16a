namespace Billing.Domain.Accounts.Events;

/// <summary>The subscription now bills for another number of seats (its quantity); an organization's, usually.</summary>
public sealed record SubscriptionSeatsChanged(string UserId, DateTimeOffset OccurredAt, string SubscriptionId, int From, int To) : AccountEvent(UserId, OccurredAt);
