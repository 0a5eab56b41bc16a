using Billing.Application.Common.Results;

namespace Billing.Application.Common.Ports;

/// <summary>The billing state of an account as the rest of the platform needs it; <see cref="Tier"/> is the tier that gates access now.</summary>
public sealed record AccountState(
    string UserId,
    string Email,
    string Tier,
    string Status,
    string? BillingCycle,
    string? StripeCustomerId,
    string? StripeSubscriptionId,
    DateTimeOffset? CurrentPeriodStart,
    DateTimeOffset? CurrentPeriodEnd,
    bool SubscriptionLive);

/// <summary>Keycloak: the user attributes that gate access across the platform.</summary>
public interface IIdentityDirectory
{
    /// <summary>Writes the billing attributes of the user, leaving every other attribute and field as it was.</summary>
    Task<Result<string>> PublishAsync(AccountState state, CancellationToken cancellationToken);

    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}

/// <summary>Lago: the customer and its subscription for usage billing.</summary>
public interface IUsageLedger
{
    bool Enabled { get; }

    Task<Result<string>> PublishAsync(AccountState state, CancellationToken cancellationToken);

    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}
