using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Application.Catalog.Publish;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Api.Tests;

/// <summary>The catalog in Stripe from configuration, and a service without Stripe settings.</summary>
public sealed class CatalogAndConfigurationTests
{
    private static async Task<CatalogPublicationReport> SyncAsync(BillingApp app, bool dryRun = false)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new PublishCatalog(dryRun));
        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        return result.Value;
    }

    [Test]
    public async Task Catalog_sync_creates_every_product_and_price_once_and_a_second_run_changes_nothing()
    {
        await using var app = await BillingApp.StartAsync();

        var dry = await SyncAsync(app, dryRun: true);
        var pricesAfterDryRun = app.Stripe.Prices().Count;
        var first = await SyncAsync(app);
        var second = await SyncAsync(app);

        // 4 products, 7 prices, the seed's 11 distinct features attached 12 times, and the portal's configuration.
        var expected = new Dictionary<string, int> { ["create product"] = 4, ["create price"] = 7, ["create feature"] = 11, ["attach feature"] = 12, ["create portal configuration"] = 1 };
        Assert.That(dry.Changes.GroupBy(c => c.Action).ToDictionary(g => g.Key, g => g.Count()), Is.EquivalentTo(expected));
        Assert.That(pricesAfterDryRun, Is.Zero, "a dry run changes nothing");
        Assert.That(first.Changes.GroupBy(c => c.Action).ToDictionary(g => g.Key, g => g.Count()), Is.EquivalentTo(expected));
        Assert.That(second.UpToDate, Is.True);
        var prices = app.Stripe.Prices();
        Assert.That(prices.Select(p => p["lookup_key"]!.GetValue<string>()), Is.EquivalentTo(new[]
        {
            "trial_monthly", "starter_monthly", "starter_yearly", "professional_monthly", "professional_yearly", "enterprise_monthly", "enterprise_yearly",
        }));
        var yearly = prices.Single(p => p["lookup_key"]!.GetValue<string>() == "enterprise_yearly");
        Assert.That(yearly["unit_amount"]!.GetValue<long>(), Is.EqualTo(99000));
        Assert.That(yearly["recurring"]!["interval"]!.GetValue<string>(), Is.EqualTo("year"));
        Assert.That(yearly["product"]!.GetValue<string>(), Is.EqualTo("billing_enterprise"));
    }

    [Test]
    public async Task A_changed_amount_creates_a_new_price_and_moves_the_lookup_key()
    {
        await using var app = await BillingApp.StartAsync(configure: s => s["Billing:Catalog:Tiers:starter:Prices:monthly"] = "2500");
        await SyncAsync(app);
        var before = app.Stripe.Prices().Single(p => p["lookup_key"]?.GetValue<string>() == "starter_monthly");

        app.Settings["Billing:Catalog:Tiers:starter:Prices:monthly"] = "2900";
        var changedHost = app.AddHost();
        await using var scope = changedHost.Services.CreateAsyncScope();
        var report = (await scope.ServiceProvider.GetRequiredService<ISender>().Send(new PublishCatalog(false))).Value;

        var prices = app.Stripe.Prices();
        var after = prices.Single(p => p["lookup_key"]?.GetValue<string>() == "starter_monthly");
        Assert.That(report.Changes.Where(c => c.Action != "update portal configuration").Select(c => c.Target), Is.EqualTo(new[] { "starter_monthly" }));
        Assert.That(after["unit_amount"]!.GetValue<long>(), Is.EqualTo(2900));
        Assert.That(after["id"]!.GetValue<string>(), Is.Not.EqualTo(before["id"]!.GetValue<string>()));
        Assert.That(prices.Single(p => p["id"]!.GetValue<string>() == before["id"]!.GetValue<string>())["lookup_key"], Is.Null);
        Assert.That(app.Stripe.Requests.Matching("POST", "/v1/prices").Last().Form["transfer_lookup_key"], Is.EqualTo("true"));
    }

    [Test]
    public async Task Without_STRIPE_API_KEY_the_Stripe_endpoints_answer_503_naming_it_and_the_rest_works()
    {
        await using var app = await BillingApp.StartAsync(configure: s => s["STRIPE_API_KEY"] = null);
        using var client = app.ClientFor("no-stripe");

        using var checkout = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });
        var problem = await checkout.Content.ReadFromJsonAsync<JsonObject>();
        using var plans = await client.GetAsync("/api/v1/billing/plans");
        using var status = await client.GetAsync("/api/v1/billing/subscription-status");

        Assert.That(checkout.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("STRIPE_API_KEY"));
        Assert.That(plans.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task An_immediately_charged_upgrade_on_a_declining_card_is_402_and_changes_nothing()
    {
        await using var app = await BillingApp.StartWithCatalogAsync(configure: s => s["Billing:ProrationBehavior"] = "always_invoice");
        using var client = app.ClientFor("declined-user");
        var session = await (await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" })).Content.ReadFromJsonAsync<JsonObject>();
        var subscriptionId = app.Stripe.CompleteCheckout(session!["session_id"]!.GetValue<string>(), Billing.Sandbox.Stripe.StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        using var admin = app.Admin();
        await app.SettleAsync();
        app.Stripe.ReplaceDefaultCard(app.Stripe.Subscription(subscriptionId)!["customer"]!.GetValue<string>(), Billing.Sandbox.Stripe.StripeStandIn.CardDeclines);

        using var upgrade = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "enterprise", billing_cycle = "monthly" });
        var problem = await upgrade.Content.ReadFromJsonAsync<JsonObject>();
        var status = await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status");

        Assert.That(upgrade.StatusCode, Is.EqualTo(HttpStatusCode.PaymentRequired));
        Assert.That(problem!["detail"]!.GetValue<string>(), Is.EqualTo("Your card was declined."));
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("card_declined"));
        Assert.That(app.Stripe.Requests.Matching("POST", $"/v1/subscriptions/{subscriptionId}").Last().Form["payment_behavior"], Is.EqualTo("error_if_incomplete"));
        Assert.That(status!["tier_id"]!.GetValue<string>(), Is.EqualTo("starter"));
        Assert.That(app.Stripe.Subscription(subscriptionId)!["items"]!["data"]![0]!["price"]!["lookup_key"]!.GetValue<string>(), Is.EqualTo("starter_monthly"));
    }
}
