using Billing.Application.Common.Results;

namespace Billing.Application.Ports;

/// <summary>Teams as the identity provider knows them (Keycloak Organizations): who belongs to which.</summary>
public interface IOrganizationDirectory
{
    /// <summary>
    /// Whether the user is a member of the organization, asked of the identity provider (never taken from a token)
    /// and remembered for a short while.
    /// </summary>
    Task<Result<OrganizationMembership>> FindMembershipAsync(string organizationId, string userId, CancellationToken cancellationToken);

    /// <summary>How many members the organization has now.</summary>
    Task<Result<int>> CountMembersAsync(string organizationId, CancellationToken cancellationToken);

    /// <summary>The organizations the user belongs to (none for a user of no team).</summary>
    Task<Result<IReadOnlyList<OrganizationSummary>>> OrganizationsOfAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The ids of all the organization's members now.</summary>
    Task<Result<IReadOnlyList<string>>> MemberIdsAsync(string organizationId, CancellationToken cancellationToken);

    /// <summary>
    /// The users whose access, as last written to the identity provider, came from the organization
    /// (<c>billing_organization_id</c>): members, and those who left since.
    /// </summary>
    Task<Result<IReadOnlyList<string>>> UsersWithAccessFromAsync(string organizationId, CancellationToken cancellationToken);
}
