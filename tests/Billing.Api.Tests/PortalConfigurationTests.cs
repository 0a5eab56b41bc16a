using System.Net;
using Billing.Api.Tests.Support;
using Billing.Application.Catalog.Publish;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Api.Tests;

/// <summary>The customer portal configured from code by catalog sync, and used by every portal session.</summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class PortalConfigurationTests(Database database) : AppFixture(database)
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Billing:Portal:TermsOfServiceUrl"] = "https://example.com/terms";
        settings["Billing:Portal:PrivacyPolicyUrl"] = "https://example.com/privacy";
    }

    private async Task<CatalogPublicationReport> SyncAsync(Dictionary<string, string?>? changed = null)
    {
        var previous = new Dictionary<string, string?>();
        foreach (var (key, value) in changed ?? [])
        {
            previous[key] = App.Settings.GetValueOrDefault(key);
            App.Settings[key] = value;
        }

        var host = App.AddHost();
        foreach (var (key, value) in previous)
        {
            App.Settings[key] = value;
        }

        await using var scope = host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new PublishCatalog(DryRun: false));
        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        return result.Value;
    }

    [Test]
    public async Task Catalog_sync_made_the_portal_offer_the_catalogs_prices_and_a_second_run_leaves_it_alone()
    {
        await SyncAsync();
        var again = await SyncAsync();
        var configuration = App.Stripe.PortalConfigurations().Single(c => c["metadata"]!["managed_by"]?.GetValue<string>() == "billing-service");
        var prices = App.Stripe.Prices().Where(p => p["lookup_key"] is not null).ToList(); // the current ones: a superseded price stays active in Stripe, without its key

        Assert.That(again.Changes.Where(c => c.Action.Contains("portal", StringComparison.Ordinal)), Is.Empty);
        var update = configuration["features"]!["subscription_update"]!;
        Assert.That(update["products"]!.AsArray().Select(p => p!["product"]!.GetValue<string>()), Is.EquivalentTo(new[] { "billing_trial", "billing_starter", "billing_professional", "billing_enterprise" }));
        Assert.That(update["products"]!.AsArray().SelectMany(p => p!["prices"]!.AsArray()).Select(p => p!.GetValue<string>()), Is.EquivalentTo(prices.Select(p => p["id"]!.GetValue<string>())));
        Assert.That(update["proration_behavior"]!.GetValue<string>(), Is.EqualTo("create_prorations"));
        Assert.That(update["schedule_at_period_end"]!["conditions"]!.AsArray().Select(c => c!["type"]!.GetValue<string>()), Is.EquivalentTo(new[] { "decreasing_item_amount", "shortening_interval" }));
        Assert.That(configuration["features"]!["subscription_cancel"]!["mode"]!.GetValue<string>(), Is.EqualTo("at_period_end"));
        Assert.That(configuration["business_profile"]!["terms_of_service_url"]!.GetValue<string>(), Is.EqualTo("https://example.com/terms"));
    }

    [Test]
    public async Task A_changed_price_moves_the_portal_to_the_new_price_and_portal_sessions_use_the_configuration()
    {
        var changed = await SyncAsync(new() { ["Billing:Catalog:Tiers:starter:Prices:monthly"] = "2400" });
        var configuration = App.Stripe.PortalConfigurations().Single();
        var newPrice = App.Stripe.Prices().Single(p => p["lookup_key"]?.GetValue<string>() == "starter_monthly")["id"]!.GetValue<string>();
        using var client = App.ClientFor(Guid.NewGuid().ToString(), "portal@example.com");
        using var portal = await client.PostAsync("/api/v1/billing/portal/create", null);

        Assert.That(changed.Changes.Single(c => c.Action == "update portal configuration").Detail, Does.Contain("prices"));
        Assert.That(configuration["features"]!["subscription_update"]!["products"]!.AsArray().Single(p => p!["product"]!.GetValue<string>() == "billing_starter")!["prices"]!.AsArray().Select(p => p!.GetValue<string>()), Does.Contain(newPrice));
        Assert.That(portal.StatusCode, Is.EqualTo(HttpStatusCode.OK), await portal.Content.ReadAsStringAsync());
        Assert.That(App.Stripe.Requests.Matching("POST", "/v1/billing_portal/sessions").Last().Form["configuration"], Is.EqualTo(configuration["id"]!.GetValue<string>()));
    }
}
