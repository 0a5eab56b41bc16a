using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Application.Catalog.Publish;
using Billing.Sandbox.Stripe;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Api.Tests;

/// <summary>
/// A price change moves the lookup key to a new price and leaves subscribers on the old one (S2): their tier is
/// read from the product and the price's tier metadata, so they keep it, can cancel and change tier, and lose
/// access when their subscription ends.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class CatalogChangeTests(Database database) : AppFixture(database)
{
    private async Task<(string UserId, HttpClient Client, string SubscriptionId)> SubscribeAsync(string tier)
    {
        var userId = $"u-{Guid.NewGuid():N}"[..18];
        App.Keycloak.AddUser(userId, $"{userId}@example.com", id: userId);
        var client = App.ClientFor(userId);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = tier, billing_cycle = "monthly" });
        var session = await response.Content.ReadFromJsonAsync<JsonObject>();
        var subscriptionId = App.Stripe.CompleteCheckout(session!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        await App.SettleAsync();
        return (userId, client, subscriptionId);
    }

    private static async Task<JsonObject> StatusAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!;

    /// <summary>Catalog sync with a new amount for one price: the lookup key moves, the subscribers stay.</summary>
    private async Task RepriceAsync(string tier, long amount)
    {
        // An operator changes the amount and runs catalog sync (here on a second instance with the new setting).
        var key = $"Billing:Catalog:Tiers:{tier}:Prices:monthly";
        var previous = App.Settings.GetValueOrDefault(key);
        App.Settings[key] = amount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var changed = App.AddHost();
        App.Settings[key] = previous;
        await using (var scope = changed.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new PublishCatalog(DryRun: false));
            Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        }

        Assert.That(App.Stripe.Prices().Single(p => p["lookup_key"]?.GetValue<string>() == $"{tier}_monthly")["unit_amount"]!.GetValue<long>(), Is.EqualTo(amount));
    }

    [Test]
    public async Task Catalog_sync_tags_products_and_prices_with_their_tier()
    {
        var price = App.Stripe.Prices().Single(p => p["lookup_key"]?.GetValue<string>() == "professional_yearly");

        Assert.That(price["metadata"]!["tier"]!.GetValue<string>(), Is.EqualTo("professional"));
        Assert.That(price["metadata"]!["billing_cycle"]!.GetValue<string>(), Is.EqualTo("yearly"));
        Assert.That(price["product"]!.GetValue<string>(), Is.EqualTo("billing_professional"));
    }

    [Test]
    public async Task A_subscriber_on_a_superseded_price_keeps_the_tier_changes_it_and_loses_access_when_it_ends()
    {
        var (userId, client, subscriptionId) = await SubscribeAsync("starter");
        await RepriceAsync("starter", 2400);
        Assert.That(App.Stripe.Subscription(subscriptionId)!["items"]!["data"]![0]!["price"]!["lookup_key"], Is.Null, "the old price lost its lookup key");

        // An event about the subscription on the old price is processed, not failed as outside the catalog.
        App.Stripe.FailRenewal(subscriptionId);
        App.Stripe.SetSubscriptionStatus(subscriptionId, "active");
        await new Stripe.SubscriptionService(App.StripeSdk()).UpdateAsync(subscriptionId, new Stripe.SubscriptionUpdateOptions { Metadata = new Dictionary<string, string> { ["note"] = "renewed" } });
        await App.SettleAsync();
        var failed = await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/webhook-events?status=failed");
        var kept = await StatusAsync(client);

        using var upgrade = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "professional", billing_cycle = "monthly" });
        await App.SettleAsync();
        var upgraded = await StatusAsync(client);
        using var cancel = await client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { at_period_end = false });
        await App.SettleAsync();
        var ended = await StatusAsync(client);
        var keycloak = await Webhooks.EventuallyAsync(() => Task.FromResult(App.Keycloak.FindUser(userId)!), u => u.Attributes.GetValueOrDefault("subscription_status")?.Single() == "canceled");

        Assert.That(failed!.Where(e => e!.ToJsonString().Contains(subscriptionId, StringComparison.Ordinal)), Is.Empty);
        Assert.That(kept["tier_id"]!.GetValue<string>(), Is.EqualTo("starter"));
        Assert.That(kept["access_tier"]!.GetValue<string>(), Is.EqualTo("starter"));
        Assert.That(upgrade.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(upgraded["tier_id"]!.GetValue<string>(), Is.EqualTo("professional"));
        Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ended["status"]!.GetValue<string>(), Is.EqualTo("canceled"));
        Assert.That(ended["access_tier"]!.GetValue<string>(), Is.EqualTo("trial"));
        Assert.That(keycloak.Attributes["subscription_tier"].Single(), Is.EqualTo("trial"));
    }

    [Test]
    public async Task A_canceled_subscriber_on_a_superseded_price_loses_paid_access()
    {
        var (_, client, subscriptionId) = await SubscribeAsync("enterprise");
        await RepriceAsync("enterprise", 12900);

        await new Stripe.SubscriptionService(App.StripeSdk()).CancelAsync(subscriptionId);
        await App.SettleAsync();
        var status = await StatusAsync(client);

        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("canceled"));
        Assert.That(status["access_tier"]!.GetValue<string>(), Is.EqualTo("trial"));
    }
}
