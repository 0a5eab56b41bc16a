using Billing.Application.Common;
namespace Billing.Application.Usage;

/// <summary>
/// A usage event accepted for a user, bound to the Stripe subscription that Lago knows as the user's
/// <c>external_subscription_id</c>; <see cref="Properties"/> is the JSON object the metric aggregates.
/// </summary>
public sealed record UsageEvent(string TransactionId, string UserId, string SubscriptionId, string Code, DateTimeOffset Timestamp, string Properties);
