using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>
/// Prices in euros beside dollars: one Stripe price per tier and cycle with <c>currency_options</c>, a checkout in
/// euros billed in euros, and a customer who stays in the currency of their first subscription.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class CurrencyTests(Database database) : AppFixture(database)
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Billing:Catalog:Tiers:starter:CurrencyOptions:monthly:eur"] = "1700";
        settings["Billing:Catalog:Tiers:professional:CurrencyOptions:monthly:eur"] = "4500";
        settings["Billing:Catalog:Tiers:professional:CurrencyOptions:yearly:eur"] = "45000";
    }

    private async Task<(HttpClient Client, string SubscriptionId)> SubscribeInEurosAsync(string tier = "starter")
    {
        var client = App.ClientFor($"eu-{Guid.NewGuid():N}"[..18]);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = tier, billing_cycle = "monthly", currency = "EUR" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var session = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var completed = App.Stripe.CompleteCheckout(session["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await App.SettleAsync();
        return (client, completed.Body["subscription"]!.GetValue<string>());
    }

    [Test]
    public void Catalog_sync_puts_the_euro_amounts_on_the_same_price_as_currency_options()
    {
        var prices = App.Stripe.Prices().ToDictionary(p => p["lookup_key"]?.GetValue<string>() ?? p["id"]!.GetValue<string>());

        Assert.That(prices["professional_monthly"]["currency"]!.GetValue<string>(), Is.EqualTo("usd"));
        Assert.That(prices["professional_monthly"]["unit_amount"]!.GetValue<long>(), Is.EqualTo(4900));
        Assert.That(prices["professional_monthly"]["currency_options"]!["eur"]!["unit_amount"]!.GetValue<long>(), Is.EqualTo(4500));
        Assert.That(prices["professional_yearly"]["currency_options"]!["eur"]!["unit_amount"]!.GetValue<long>(), Is.EqualTo(45000));
        Assert.That(prices["enterprise_monthly"]["currency_options"]!.AsObject().Select(o => o.Key), Is.EqualTo(new[] { "usd" }), "no euro price configured");
        Assert.That(prices["professional_monthly"]["tax_behavior"]!.GetValue<string>(), Is.EqualTo("unspecified"), "Stripe Tax is off: nothing about tax is sent");
    }

    [Test]
    public async Task The_plans_in_euros_show_the_euro_amounts_and_leave_out_what_is_not_sold_in_euros()
    {
        using var anonymous = App.Anonymous();

        var plans = (await anonymous.GetFromJsonAsync<JsonObject>("/api/v1/billing/plans?currency=eur"))!;
        using var unknown = await anonymous.GetAsync("/api/v1/billing/plans?currency=gbp");
        var dollars = (await anonymous.GetFromJsonAsync<JsonObject>("/api/v1/billing/plans"))!;

        Assert.That(plans["currency"]!.GetValue<string>(), Is.EqualTo("eur"));
        Assert.That(plans["currencies"]!.AsArray().Select(c => c!.GetValue<string>()), Is.EqualTo(new[] { "usd", "eur" }));
        var prices = plans["plans"]!.AsArray().SelectMany(p => p!["prices"]!.AsArray().Select(x => ($"{p["tier_id"]}/{x!["billing_cycle"]}", x["unit_amount"]!.GetValue<long>(), x["currency"]!.GetValue<string>())));
        Assert.That(prices, Is.EquivalentTo(new[] { ("starter/monthly", 1700L, "eur"), ("professional/monthly", 4500L, "eur"), ("professional/yearly", 45000L, "eur") }));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await unknown.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("unknown_currency"));
        Assert.That(dollars["currency"]!.GetValue<string>(), Is.EqualTo("usd"));
        Assert.That(dollars["plans"]!.AsArray().Count, Is.EqualTo(4));
    }

    [Test]
    public async Task A_euro_checkout_is_billed_in_euros_and_a_tier_change_with_its_preview_stays_in_euros()
    {
        var (client, subscriptionId) = await SubscribeInEurosAsync();
        using (client)
        {
            var status = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!;
            var session = App.Stripe.Requests.Matching("POST", "/v1/checkout/sessions").Last().Form;
            var preview = (await (await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade/preview", new { new_tier_id = "professional", billing_cycle = "monthly" })).Content.ReadFromJsonAsync<JsonObject>())!;
            using var upgrade = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "professional", billing_cycle = "monthly" });
            var upgraded = (await upgrade.Content.ReadFromJsonAsync<JsonObject>())!;
            await App.SettleAsync();
            var plans = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/plans"))!;
            var invoices = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/invoices"))!["data"]!.AsArray();

            Assert.That(session["currency"], Is.EqualTo("eur"));
            Assert.That(session.Keys.Where(k => k.Contains("tax", StringComparison.Ordinal) || k.StartsWith("customer_update", StringComparison.Ordinal)), Is.Empty, "Stripe Tax is off: nothing about tax is sent");
            Assert.That(App.Stripe.Requests.Matching("POST", "/v1/invoices/create_preview").Last().Form.Keys.Where(k => k.Contains("tax", StringComparison.Ordinal)), Is.Empty);
            Assert.That(preview["tax"]!.GetValue<long>(), Is.Zero);
            Assert.That(App.Stripe.Subscription(subscriptionId)!["currency"]!.GetValue<string>(), Is.EqualTo("eur"));
            Assert.That(status["currency"]!.GetValue<string>(), Is.EqualTo("eur"));
            Assert.That(status["amount"]!.GetValue<long>(), Is.EqualTo(1700));
            Assert.That(preview["currency"]!.GetValue<string>(), Is.EqualTo("eur"));
            Assert.That(preview["proration_amount"]!.GetValue<long>(), Is.InRange(2700L, 2800L), "45 - 17 euros for a nearly whole month");
            Assert.That(upgrade.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(upgraded["tier_id"]!.GetValue<string>(), Is.EqualTo("professional"));
            Assert.That(upgraded["amount"]!.GetValue<long>(), Is.EqualTo(4500));
            Assert.That(upgraded["currency"]!.GetValue<string>(), Is.EqualTo("eur"));
            Assert.That(plans["currency"]!.GetValue<string>(), Is.EqualTo("eur"), "a customer sees the prices of the currency they pay in");
            Assert.That(plans["current"]!["billing_currency"]!.GetValue<string>(), Is.EqualTo("eur"));
            Assert.That(invoices.Select(i => i!["currency"]!.GetValue<string>()), Is.All.EqualTo("eur"));
            Assert.That(invoices.Select(i => i!["total"]!.GetValue<long>()), Does.Contain(1700L));
        }
    }

    [Test]
    public async Task A_customer_stays_in_the_currency_of_their_first_subscription()
    {
        var (client, _) = await SubscribeInEurosAsync();
        using (client)
        {
            using var cancel = await client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { at_period_end = false });
            await App.SettleAsync();
            var sessionsBefore = App.Stripe.Requests.Count("POST", "/v1/checkout/sessions");

            using var inDollars = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly", currency = "usd" });
            using var unsaid = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "professional", billing_cycle = "yearly" });

            Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(inDollars.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await inDollars.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("currency_fixed"));
            Assert.That(unsaid.StatusCode, Is.EqualTo(HttpStatusCode.OK), await unsaid.Content.ReadAsStringAsync());
            Assert.That(App.Stripe.Requests.Count("POST", "/v1/checkout/sessions"), Is.EqualTo(sessionsBefore + 1), "the refused checkout opened nothing");
            Assert.That(App.Stripe.Requests.Matching("POST", "/v1/checkout/sessions").Last().Form["currency"], Is.EqualTo("eur"));
        }
    }

    [Test]
    public async Task A_tier_or_checkout_not_sold_in_the_currency_is_refused_and_changes_nothing()
    {
        var (client, subscriptionId) = await SubscribeInEurosAsync();
        using var newcomer = App.ClientFor($"eu-{Guid.NewGuid():N}"[..18]);
        using (client)
        {
            var customers = App.Stripe.CustomerCount;

            using var upgrade = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "enterprise", billing_cycle = "monthly" });
            using var checkout = await newcomer.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "enterprise", billing_cycle = "monthly", currency = "eur" });
            using var malformed = await newcomer.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly", currency = "euros" });

            Assert.That(upgrade.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await upgrade.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("currency_not_offered"));
            Assert.That(App.Stripe.Requests.Count("POST", $"/v1/subscriptions/{subscriptionId}"), Is.Zero);
            Assert.That(checkout.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await checkout.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("currency_not_offered"));
            Assert.That(malformed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(App.Stripe.CustomerCount, Is.EqualTo(customers), "no customer made for a refused checkout");
        }
    }
}
