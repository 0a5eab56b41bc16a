using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>
/// The subscription's metadata naming the request that last changed it in Stripe (its idempotency key). A command
/// run again after a concurrent change of the account finds its own change already made by it, and answers
/// Stripe's state instead of refusing a change that is no longer needed.
/// </summary>
public static class SubscriptionChangeRequest
{
    public const string MetadataKey = "billing_change_request";

    /// <summary>Whether this subscription was last changed by the request with this key.</summary>
    public static bool MadeBy(GatewaySubscription subscription, string idempotencyKey) =>
        subscription?.Metadata.GetValueOrDefault(MetadataKey) == idempotencyKey;
}
