using Billing.Domain.Plans;

namespace Billing.Domain.Accounts.Events;

/// <summary>The subscription could not be paid: it went past due, unpaid or incomplete.</summary>
public sealed record SubscriptionPaymentFailed(string UserId, DateTimeOffset OccurredAt, string SubscriptionId, SubscriptionStatus Status)
    : AccountEvent(UserId, OccurredAt);
