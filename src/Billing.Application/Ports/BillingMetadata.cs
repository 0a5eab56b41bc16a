namespace Billing.Application.Ports;

/// <summary>
/// The keys this service writes into Stripe's metadata and reads back: which user a customer, subscription or
/// session belongs to, and which tier and cycle a product or price sells. One place, so a reader and a writer can
/// never spell one differently.
/// </summary>
public static class BillingMetadata
{
    public const string UserId = "keycloak_user_id";

    /// <summary>Names the Keycloak organization an organization's customer, subscription or session bills.</summary>
    public const string OrganizationId = "keycloak_organization_id";

    public const string Tier = "tier";

    public const string BillingCycle = "billing_cycle";

    /// <summary>Marks what this service made in Stripe (products, coupons, features, the portal's configuration), so it
    /// changes its own and leaves what others made alone.</summary>
    public const string ManagedBy = "managed_by";

    /// <summary>The value of <see cref="ManagedBy"/> on what this service made.</summary>
    public const string ThisService = "billing-service";

    /// <summary>Whether this service made the object these metadata belong to.</summary>
    public static bool MadeHere(IReadOnlyDictionary<string, string>? metadata) => metadata?.GetValueOrDefault(ManagedBy) == ThisService;

    /// <summary>The metadata entry naming an account's holder: the user, or the organization (see <see cref="Domain.Accounts.AccountHolder"/>).</summary>
    public static KeyValuePair<string, string> HolderOf(string accountKey) =>
        Domain.Accounts.AccountHolder.OrganizationOf(accountKey) is { } organization
            ? new(OrganizationId, organization)
            : new(UserId, accountKey);

    /// <summary>The account key Stripe's metadata names, the user's or the organization's; null when it names neither.</summary>
    public static string? AccountKeyOf(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.GetValueOrDefault(UserId) is { Length: > 0 } user ? user
            : metadata.GetValueOrDefault(OrganizationId) is { Length: > 0 } organization ? Domain.Accounts.AccountHolder.ForOrganization(organization)
            : null;
    }
}
