namespace Billing.Domain.Accounts;

/// <summary>
/// Who an account bills: a user (its key is their Keycloak subject) or an organization (its key is
/// <c>org:</c> and the Keycloak organization's id). Keycloak's ids are UUIDs, so the two can never meet; one key
/// lets a team's account use everything a user's account does (its customer, its subscription, its lane of events).
/// </summary>
public static class AccountHolder
{
    public const string OrganizationPrefix = "org:";

    public static string ForOrganization(string organizationId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(organizationId);
        return OrganizationPrefix + organizationId;
    }

    /// <summary>The organization an account key names; null for a user's account.</summary>
    public static string? OrganizationOf(string accountKey) =>
        accountKey is not null && accountKey.StartsWith(OrganizationPrefix, StringComparison.Ordinal) ? accountKey[OrganizationPrefix.Length..] : null;

    public static bool IsOrganization(string accountKey) => OrganizationOf(accountKey) is not null;
}
