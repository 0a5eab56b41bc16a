namespace Billing.Application.Common;

/// <summary>Teams (section <c>Billing:Organizations</c>; the role also from <c>KEYCLOAK_ORG_BILLING_ROLE</c>).</summary>
public sealed class OrganizationSettings
{
    public const string DefaultBillingRole = "billing-org-admin";

    /// <summary>
    /// Teams are billed: the organization endpoints answer, and a user's access in Keycloak is the higher of their
    /// own and their organizations' (one more Keycloak read per delivery). Needs Keycloak 26's Organizations enabled
    /// in the realm and manage-realm for the service account. Off by default.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>The realm role a member needs to change their organization's billing (any member may read it).</summary>
    public string BillingRole { get; set; } = DefaultBillingRole;

    /// <summary>The subscription's seats follow the member count instead of what a manager sets.</summary>
    public bool SeatsFollowMembers { get; set; }
}
