namespace Billing.Domain.Accounts.Events;

/// <summary>
/// The subscription changed in a way none of the other events names: a new period (a renewal), its price or
/// discount, its trial's end, its open invoice, or another Stripe status.
/// </summary>
public sealed record SubscriptionTermsUpdated(string UserId, DateTimeOffset OccurredAt, string SubscriptionId) : AccountEvent(UserId, OccurredAt);
