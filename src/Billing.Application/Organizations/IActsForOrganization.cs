namespace Billing.Application.Organizations;

/// <summary>
/// A message that may act on an organization's account instead of the caller's own: when <see cref="Organization"/>
/// is set, its <c>UserId</c> is the organization's account key and the caller must be a member (and, for a change,
/// hold the billing role).
/// </summary>
public interface IActsForOrganization
{
    OrganizationCaller? Organization { get; }

    /// <summary>True for a change of the organization's billing; false for a read any member may make.</summary>
    bool ChangesBilling { get; }
}
