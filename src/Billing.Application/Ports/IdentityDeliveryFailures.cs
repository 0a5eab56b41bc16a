namespace Billing.Application.Ports;

/// <summary>The failures of a delivery to the identity directory that something other than a retry must resolve.</summary>
public static class IdentityDeliveryFailures
{
    /// <summary>The realm's user profile does not declare the billing attributes, so the realm would drop them.</summary>
    public const string AttributesUndeclared = "keycloak_attributes_undeclared";
}
