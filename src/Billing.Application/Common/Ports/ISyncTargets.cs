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

/// <summary>Keycloak: the user attributes that gate access across the platform.</summary>
public interface IIdentityDirectory
{
    /// <summary>
    /// Writes the billing attributes of the user, leaving every other attribute and field as it was. A write the
    /// realm would silently drop (attributes its user profile does not declare) fails instead.
    /// </summary>
    Task<Result<string>> PublishAsync(AccountState state, CancellationToken cancellationToken);

    /// <summary>The user's name as the directory holds it (first and last), or null when it has none.</summary>
    Task<Result<string?>> FindNameAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Reachability, and which of the billing attributes the realm would drop.</summary>
    Task<DirectoryHealth> CheckAsync(CancellationToken cancellationToken);

    /// <summary>Declares the billing attributes in the realm's user profile, keeping everything else in it.</summary>
    Task<Result<IReadOnlyList<string>>> DeclareAttributesAsync(bool dryRun, CancellationToken cancellationToken);
}

/// <summary>What a health probe learns of the directory: whether it answers, and the attributes it would drop.</summary>
public sealed record DirectoryHealth(bool Reachable, IReadOnlyList<string> UndeclaredAttributes);

/// <summary>Lago: the customer and its subscription for usage billing.</summary>
public interface IUsageLedger
{
    bool Enabled { get; }

    Task<Result<string>> PublishAsync(AccountState state, CancellationToken cancellationToken);

    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}
