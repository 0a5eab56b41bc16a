using Billing.Application.Common.Results;

namespace Billing.Application.Common.Ports;

/// <summary>The billing state of an account as the rest of the platform needs it; <see cref="Tier"/> is the tier that gates access now.</summary>
public sealed record AccountState(
    string UserId,
    string Email,
    string? Name,
    string Tier,
    string Status,
    string? BillingCycle,
    string? StripeCustomerId,
    string? StripeSubscriptionId,
    DateTimeOffset? CurrentPeriodStart,
    DateTimeOffset? CurrentPeriodEnd,
    bool SubscriptionLive);
