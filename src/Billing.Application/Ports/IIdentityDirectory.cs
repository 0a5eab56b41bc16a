using Billing.Application.Common;
using Billing.Application.Common.Results;

namespace Billing.Application.Ports;

/// <summary>Keycloak: the user attributes that gate access across the platform.</summary>
public interface IIdentityDirectory
{
    /// <summary>
    /// Writes the billing attributes of the user, leaving every other attribute and field as it was. A write the
    /// realm would silently drop (attributes its user profile does not declare) fails instead.
    /// </summary>
    Task<Result<string>> PublishAsync(AccountState state, CancellationToken cancellationToken);

    /// <summary>
    /// Where the user's billing attributes differ from <paramref name="state"/> (none when they agree); a user the
    /// directory does not have is <c>keycloak_user_missing</c>.
    /// </summary>
    Task<Result<IReadOnlyList<SyncDrift>>> CompareAsync(AccountState state, CancellationToken cancellationToken);

    /// <summary>The user's name as the directory holds it (first and last), or null when it has none.</summary>
    Task<Result<string?>> FindNameAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Reachability, and which of the billing attributes the realm would drop.</summary>
    Task<DirectoryHealth> CheckAsync(CancellationToken cancellationToken);

    /// <summary>Declares the billing attributes in the realm's user profile, keeping everything else in it.</summary>
    Task<Result<AttributeDeclaration>> DeclareAttributesAsync(bool dryRun, CancellationToken cancellationToken);
}
