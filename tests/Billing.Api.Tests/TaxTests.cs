using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>
/// Stripe Tax on (<c>Billing:Tax:Automatic</c>): checkout asks Stripe to compute tax and to collect what it needs,
/// tier changes and previews keep it, and the tax shows apart on status, invoices and previews. The stand-in taxes
/// a German address at 19 %.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class TaxTests(Database database) : AppFixture(database)
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Billing:Tax:Automatic"] = "true";

    private async Task<(HttpClient Client, string SubscriptionId)> SubscribeFromGermanyAsync()
    {
        var client = App.ClientFor($"tax-{Guid.NewGuid():N}"[..18]);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var session = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var completed = App.Stripe.CompleteCheckout(session["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds, country: "DE");
        Assert.That(completed.Status, Is.EqualTo(200), completed.Body.ToJsonString());
        await App.SettleAsync();
        return (client, completed.Body["subscription"]!.GetValue<string>());
    }

    [Test]
    public async Task Checkout_turns_on_stripe_tax_and_collects_the_address_and_tax_ids_it_needs()
    {
        var (client, _) = await SubscribeFromGermanyAsync();
        using (client)
        {
            var form = App.Stripe.Requests.Matching("POST", "/v1/checkout/sessions").Last().Form;
            var status = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!;
            var invoice = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/invoices"))!["data"]!.AsArray().Single()!;

            Assert.That(form["automatic_tax[enabled]"], Is.EqualTo("true"));
            Assert.That(form["billing_address_collection"], Is.EqualTo("required"));
            Assert.That(form["tax_id_collection[enabled]"], Is.EqualTo("true"));
            Assert.That(form["customer_update[address]"], Is.EqualTo("auto"));
            Assert.That(form["customer_update[name]"], Is.EqualTo("auto"), "Stripe refuses tax id collection for an existing customer without it");
            Assert.That(status["amount"]!.GetValue<long>(), Is.EqualTo(1900), "the price, tax excluded");
            Assert.That(status["latest_invoice_tax"]!.GetValue<long>(), Is.EqualTo(361), "19 % of 19.00");
            Assert.That(status["latest_invoice_total"]!.GetValue<long>(), Is.EqualTo(2261));
            Assert.That(invoice["tax"]!.GetValue<long>(), Is.EqualTo(361));
            Assert.That(invoice["total"]!.GetValue<long>(), Is.EqualTo(2261));
        }
    }

    [Test]
    public void Catalog_prices_carry_the_configured_tax_behaviour()
    {
        var prices = App.Stripe.Prices().Where(p => p["lookup_key"] is not null).ToList();

        Assert.That(prices.Select(p => p["tax_behavior"]!.GetValue<string>()), Is.All.EqualTo("exclusive"));
        Assert.That(App.Stripe.Requests.Matching("POST", "/v1/prices").Select(r => r.Form["tax_behavior"]), Is.All.EqualTo("exclusive"));
    }

    [Test]
    public async Task A_tier_change_and_its_preview_keep_automatic_tax_and_show_the_tax()
    {
        var (client, subscriptionId) = await SubscribeFromGermanyAsync();
        using (client)
        {
            var preview = (await (await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade/preview", new { new_tier_id = "professional", billing_cycle = "yearly" })).Content.ReadFromJsonAsync<JsonObject>())!;
            using var upgrade = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "professional", billing_cycle = "yearly" });
            await App.SettleAsync();
            var status = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!;

            var previewForm = App.Stripe.Requests.Matching("POST", "/v1/invoices/create_preview").Last().Form;
            var updateForm = App.Stripe.Requests.Matching("POST", $"/v1/subscriptions/{subscriptionId}").Last().Form;
            Assert.That(previewForm["automatic_tax[enabled]"], Is.EqualTo("true"));
            Assert.That(updateForm["automatic_tax[enabled]"], Is.EqualTo("true"));
            var subtotal = preview["subtotal"]!.GetValue<long>();
            Assert.That(preview["tax"]!.GetValue<long>(), Is.EqualTo((long)Math.Round(subtotal * 0.19m, MidpointRounding.AwayFromZero)));
            Assert.That(preview["total"]!.GetValue<long>(), Is.EqualTo(subtotal + preview["tax"]!.GetValue<long>()));
            Assert.That(upgrade.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(status["latest_invoice_tax"]!.GetValue<long>(), Is.GreaterThan(0), "the invoice of a new cycle is taxed too");
        }
    }
}
