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

    [Test]
    public void Personal_data_goes_inside_lists_too_and_everything_else_is_kept_as_it_came()
    {
        const string payload = """
            {"id":"evt_2","object":"event","data":{"object":{"id":"ch_1","amount":1999,"fx":1.5e3,"description":"Gr\u00fc\u00dfe \"quoted\"",
             "refunds":{"data":[{"id":"re_1","billing_details":{"email":"a@example.com"},"metadata":{"email":"kept"}},{"id":"re_2","receipt_email":"b@example.com"}]},
             "payment_method_details":{"card":"card_1"},"nothing":null,"flags":[true,false]},"previous_attributes":{"name":"Old Name"}},"type":"charge.updated"}
            """;

        var kept = StripePayloadMinimizer.Minimize(payload);

        Assert.That(kept, Does.Not.Contain("a@example.com").And.Not.Contain("b@example.com").And.Not.Contain("Old Name"));
        Assert.That(kept, Does.Contain("\"description\":\"Gr\\u00fc\\u00dfe \\\"quoted\\\"\""), "strings are kept byte for byte");
        Assert.That(kept, Does.Contain("\"fx\":1.5e3").And.Contain("\"amount\":1999").And.Contain("\"nothing\":null").And.Contain("\"flags\":[true,false]"));
        var obj = JsonNode.Parse(kept)!["data"]!["object"]!;
        Assert.That(obj["refunds"]!["data"]![0]!["metadata"]!["email"]!.GetValue<string>(), Is.EqualTo("kept"), "metadata is the integrator's own");
        Assert.That(obj["payment_method_details"]!["card"]!.GetValue<string>(), Is.EqualTo("card_1"), "a card named by id stays an id");
        Assert.That(JsonNode.Parse(kept)!["type"]!.GetValue<string>(), Is.EqualTo("charge.updated"), "the envelope after data is kept");
    }

    [TestCase("[1,2]")]
    [TestCase("\"text\"")]
    public void A_body_that_is_not_an_object_is_left_as_it_is(string payload) =>
        Assert.That(StripePayloadMinimizer.Minimize(payload), Is.EqualTo(payload));
}
