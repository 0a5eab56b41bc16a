using System.Text.Json.Nodes;
using Billing.Infrastructure.Stripe;

namespace Billing.Infrastructure.Tests;

/// <summary>What of a Stripe event is stored: what processing reads, and no personal data.</summary>
public sealed class StripePayloadMinimizerTests
{
    [Test]
    public void Names_emails_addresses_and_card_details_go_and_ids_amounts_and_metadata_stay()
    {
        var payload = new JsonObject
        {
            ["id"] = "evt_1",
            ["type"] = "checkout.session.completed",
            ["data"] = new JsonObject
            {
                ["object"] = new JsonObject
                {
                    ["id"] = "cs_1",
                    ["customer"] = "cus_1",
                    ["customer_email"] = "ada@example.com",
                    ["customer_details"] = new JsonObject { ["email"] = "ada@example.com", ["name"] = "Ada", ["address"] = new JsonObject { ["country"] = "DE" } },
                    ["amount_total"] = 1900,
                    ["metadata"] = new JsonObject { ["keycloak_user_id"] = "user-1", ["name"] = "kept: it is ours" },
                    ["payment_method_details"] = new JsonObject { ["card"] = new JsonObject { ["brand"] = "visa", ["last4"] = "4242", ["fingerprint"] = "fp", ["exp_year"] = 2030 } },
                },
            },
        }.ToJsonString();

        var kept = JsonNode.Parse(StripePayloadMinimizer.Minimize(payload))!;
        var obj = kept["data"]!["object"]!;

        Assert.That(kept.ToJsonString(), Does.Not.Contain("ada@example.com").And.Not.Contain("\"Ada\"").And.Not.Contain("DE"));
        Assert.That(obj["id"]!.GetValue<string>(), Is.EqualTo("cs_1"));
        Assert.That(obj["customer"]!.GetValue<string>(), Is.EqualTo("cus_1"));
        Assert.That(obj["amount_total"]!.GetValue<int>(), Is.EqualTo(1900));
        Assert.That(obj["metadata"]!["keycloak_user_id"]!.GetValue<string>(), Is.EqualTo("user-1"));
        Assert.That(obj["payment_method_details"]!["card"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "brand", "last4" }));
    }
}
