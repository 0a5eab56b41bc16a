namespace Billing.Application.Ports;

/// <summary>What the identity provider says of a user and an organization.</summary>
public enum OrganizationMembership
{
    Member,
    NotMember,

    /// <summary>The organization does not exist (an id nobody may act on).</summary>
    UnknownOrganization,
}
