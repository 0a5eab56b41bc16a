using Billing.Domain.Revenue;

namespace Billing.Domain.Accounts.Events;

/// <summary>The account's recurring revenue moved (new, expansion, churn, …), at the time of Stripe's report.</summary>
public sealed record RevenueMoved(string UserId, DateTimeOffset OccurredAt, RevenueMovement Movement) : AccountEvent(UserId, OccurredAt);
