namespace Billing.Application.Ports;

/// <summary>
/// The keys this service writes into Stripe's metadata and reads back: which user a customer, subscription or
/// session belongs to, and which tier and cycle a product or price sells. One place, so a reader and a writer can
/// never spell one differently.
/// </summary>
public static class BillingMetadata
{
    public const string UserId = "keycloak_user_id";

    public const string Tier = "tier";

    public const string BillingCycle = "billing_cycle";
}
