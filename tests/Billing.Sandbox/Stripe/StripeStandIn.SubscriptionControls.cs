using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>Control operations on subscriptions for tests and the sandbox: seeding one, replacing a card, setting a status as Stripe's billing engine would.</summary>
public sealed partial class StripeStandIn
{
    /// <summary>Creates a customer and an active subscription to the price with this lookup key, without events: a starting state for webhook tests.</summary>
    public (string CustomerId, string SubscriptionId) SeedSubscription(string lookupKey, string? userId = null, string status = "active", string? customerId = null)
    {
        lock (_gate)
        {
            var price = _prices.Values.FirstOrDefault(p => p["lookup_key"]?.GetValue<string>() == lookupKey)
                ?? throw new InvalidOperationException($"No price has lookup key {lookupKey}; create the catalog first.");
            if (customerId is null || !_customers.ContainsKey(customerId))
            {
                customerId = ((JsonObject)CreateCustomer(Form(("metadata[keycloak_user_id]", userId ?? "seed")), null!).Body)["id"]!.GetValue<string>();
            }

            var metadata = new JsonObject();
            if (userId is not null)
            {
                metadata["keycloak_user_id"] = userId;
            }

            var subscription = NewSubscription(customerId, price, 1, metadata, status, null);
            _outgoing.Clear();
            return (customerId, subscription["id"]!.GetValue<string>());
        }
    }

    /// <summary>The customer replaces their default card (as in the customer portal); the decline card makes later charges fail.</summary>
    public void ReplaceDefaultCard(string customerId, string card)
    {
        lock (_gate)
        {
            _customers[customerId]["invoice_settings"]!["default_payment_method"] = SaveCard(customerId, card, null);
        }
    }

    private bool DefaultCardDeclines(string customerId) =>
        _customers[customerId]["invoice_settings"]?["default_payment_method"]?.GetValue<string>() is { } pm && _decliningCards.Contains(pm);

    /// <summary>Sets a subscription's status directly, as Stripe's own billing engine would (a retried payment succeeding, say).</summary>
    public void SetSubscriptionStatus(string subscriptionId, string status)
    {
        lock (_gate)
        {
            _subscriptions[subscriptionId]["status"] = status;
        }
    }
}
