using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Application.Catalog.Publish;
using Billing.Sandbox.Keycloak;
using Billing.Sandbox.Stripe;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Api.Tests;

/// <summary>
/// Entitlements per tier, end to end: answered from the store for the access tier, written to Keycloak as one
/// attribute through the outbox, and mirrored by catalog sync as Stripe features on each tier's product.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class EntitlementsTests(Database database) : AppFixture(database)
{
    private KeycloakUser NewUser() =>
        App.Keycloak.AddUser($"en-{Guid.NewGuid():N}"[..16], $"{Guid.NewGuid():N}@example.com", id: Guid.NewGuid().ToString());

    private static async Task<JsonObject> EntitlementsAsync(HttpClient client) => (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/entitlements"))!;

    private async Task<string?> KeycloakEntitlementsAsync(KeycloakUser user, Func<string?, bool> done) =>
        await Webhooks.EventuallyAsync(() => Task.FromResult(App.Keycloak.FindUser(user.Id)?.Attributes.GetValueOrDefault("billing_entitlements")?.SingleOrDefault()), done);

    [Test]
    public async Task Catalog_sync_attaches_each_tiers_features_to_its_product_and_a_second_run_changes_nothing()
    {
        await using var scope = App.AddHost().Services.CreateAsyncScope();
        var again = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new PublishCatalog(DryRun: false));

        Assert.That(again.Value.Changes, Is.Empty, "the catalog was published when the app started");
        Assert.That(App.Stripe.ProductFeatureKeys("billing_enterprise"), Is.EquivalentTo(new[] { "billing:api_calls_per_month:1000000", "billing:audit_logs", "billing:projects:1000", "billing:sso", "billing:usage_analytics" }));
        Assert.That(App.Stripe.ProductFeatureKeys("billing_starter"), Is.EquivalentTo(new[] { "billing:api_calls_per_month:10000", "billing:projects:5" }), "switches that are off are not attached");
    }

    [Test]
    public async Task The_entitlements_follow_the_access_tier_and_reach_keycloak_as_one_attribute()
    {
        var user = NewUser();
        using var client = App.ClientFor(user.Id, user.Email);
        var before = await EntitlementsAsync(client);

        using var checkout = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "enterprise", billing_cycle = "yearly" });
        var session = (await checkout.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>();
        var subscriptionId = App.Stripe.CompleteCheckout(session, StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        await App.SettleAsync();
        var paid = await EntitlementsAsync(client);
        var written = await KeycloakEntitlementsAsync(user, v => v?.Contains("\"sso\":true", StringComparison.Ordinal) == true);

        // A downgrade waits for the period's end, and so do the entitlements.
        using var downgrade = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "starter", billing_cycle = "yearly" });
        await App.SettleAsync();
        var scheduled = await EntitlementsAsync(client);
        App.Stripe.RenewNow(subscriptionId);
        await App.SettleAsync();
        var downgraded = await EntitlementsAsync(client);
        var rewritten = await KeycloakEntitlementsAsync(user, v => v?.Contains("\"sso\":false", StringComparison.Ordinal) == true);

        Assert.That(before["access_tier"]!.GetValue<string>(), Is.EqualTo("trial"));
        Assert.That(before["features"]!["projects"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(paid["access_tier"]!.GetValue<string>(), Is.EqualTo("enterprise"));
        Assert.That(paid["features"]!["sso"]!.GetValue<bool>(), Is.True);
        Assert.That(paid["features"]!["api_calls_per_month"]!.GetValue<long>(), Is.EqualTo(1_000_000));
        Assert.That(written, Is.EqualTo("{\"api_calls_per_month\":1000000,\"audit_logs\":true,\"projects\":1000,\"sso\":true,\"usage_analytics\":true}"));
        Assert.That(scheduled["access_tier"]!.GetValue<string>(), Is.EqualTo("enterprise"), "a scheduled downgrade changes nothing until it happened");
        Assert.That(downgraded["access_tier"]!.GetValue<string>(), Is.EqualTo("starter"));
        Assert.That(downgraded["features"]!["projects"]!.GetValue<long>(), Is.EqualTo(5));
        Assert.That(rewritten, Is.EqualTo("{\"api_calls_per_month\":10000,\"audit_logs\":false,\"projects\":5,\"sso\":false,\"usage_analytics\":false}"));
    }

    [Test]
    public async Task A_canceled_subscription_leaves_the_trial_tiers_entitlements()
    {
        var user = NewUser();
        using var client = App.ClientFor(user.Id, user.Email);
        using var checkout = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "professional", billing_cycle = "monthly" });
        var session = (await checkout.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>();
        App.Stripe.CompleteCheckout(session, StripeStandIn.CardSucceeds);
        await App.SettleAsync();

        using var cancel = await client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { at_period_end = false });
        await App.SettleAsync();
        var after = await EntitlementsAsync(client);

        Assert.That(after["access_tier"]!.GetValue<string>(), Is.EqualTo("trial"));
        Assert.That(after["features"]!["usage_analytics"]!.GetValue<bool>(), Is.False);
        Assert.That(await KeycloakEntitlementsAsync(user, v => v?.Contains("\"projects\":1,", StringComparison.Ordinal) == true), Does.Contain("\"projects\":1,"));
    }
}
