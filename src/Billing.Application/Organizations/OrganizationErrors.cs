using Billing.Application.Common.Results;

namespace Billing.Application.Organizations;

/// <summary>The answers about teams given in more than one place.</summary>
public static class OrganizationErrors
{
    public static readonly Error NotEnabled = new(ErrorKind.NotConfigured, "organizations_not_enabled", "This service does not bill organizations: set Billing__Organizations__Enabled=true (with Keycloak's Organizations enabled in the realm).");

    public static readonly Error NoSubscription = Error.NotFound("subscription_not_found", "The organization has no live subscription; start one with POST …/checkout/create.");
}
