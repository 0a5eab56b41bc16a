using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Keycloak;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>
/// Keycloak 24+ drops attributes its user profile does not declare, answering 204 (K1): such a delivery is never
/// counted as delivered, readiness names what is missing, and <c>keycloak setup</c> declares the attributes.
/// </summary>
public sealed class KeycloakProfileTests
{
    private static async Task<(KeycloakUser User, string SubscriptionId)> SubscribeAsync(BillingApp app)
    {
        var user = app.Keycloak.AddUser($"kp-{Guid.NewGuid():N}"[..16], $"{Guid.NewGuid():N}@example.com", id: Guid.NewGuid().ToString());
        using var client = app.ClientFor(user.Id, user.Email);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "professional", billing_cycle = "monthly" });
        var session = await response.Content.ReadFromJsonAsync<JsonObject>();
        var subscriptionId = app.Stripe.CompleteCheckout(session!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        return (user, subscriptionId);
    }

    [Test]
    public async Task A_realm_that_would_drop_the_attributes_parks_the_delivery_and_readiness_names_them_until_keycloak_setup()
    {
        await using var app = await BillingApp.StartWithCatalogAsync(keycloakSetUp: false);
        using var admin = app.Admin();

        var (user, _) = await SubscribeAsync(app);
        var parked = await Webhooks.EventuallyAsync(
            async () => (await admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/sync-failures"))!.Where(m => m!["user_id"]!.GetValue<string>() == user.Id && m["target"]!.GetValue<string>() == "keycloak").ToList(),
            list => list.Count > 0);
        using var ready = await app.Anonymous().GetAsync("/health/ready");
        var health = await ready.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(parked.Select(m => m!["last_error"]!.GetValue<string>()), Is.All.StartWith("keycloak_attributes_undeclared"));
        Assert.That(user.Attributes.ContainsKey("subscription_tier"), Is.False);
        Assert.That(app.Keycloak.Requests.Count("PUT", $"/admin/realms/{app.Keycloak.Realm}/users/"), Is.Zero, "nothing is written that Keycloak would drop");
        Assert.That(health!["checks"]!["keycloak"]!["status"]!.GetValue<string>(), Is.EqualTo("degraded"));
        Assert.That(health["checks"]!["keycloak"]!["description"]!.GetValue<string>(), Does.Contain("subscription_tier").And.Contain("subscription_end_date").And.Contain("keycloak setup"));

        var wouldDeclare = await app.DeclareKeycloakAttributesAsync(dryRun: true);
        Assert.That(app.Keycloak.Requests.Count("PUT", $"/admin/realms/{app.Keycloak.Realm}/users/profile"), Is.Zero, "a dry run changes nothing");
        var declared = await app.DeclareKeycloakAttributesAsync();
        var again = await app.DeclareKeycloakAttributesAsync();
        foreach (var message in parked)
        {
            using var replay = await admin.PostAsync($"/api/v1/billing/admin/sync-failures/{message!["id"]}/replay", null);
        }

        var synced = await Webhooks.EventuallyAsync(() => Task.FromResult(app.Keycloak.FindUser(user.Id)!), u => u.Attributes.ContainsKey("subscription_tier"));

        Assert.That(wouldDeclare, Is.EquivalentTo(new[] { "subscription_tier", "subscription_status", "stripe_customer_id", "stripe_subscription_id", "subscription_start_date", "subscription_end_date", "billing_organization_id", "billing_entitlements" }));
        Assert.That(declared, Is.EquivalentTo(wouldDeclare));
        Assert.That(again, Is.Empty, "a second run changes nothing");
        Assert.That(synced.Attributes["subscription_tier"], Is.EqualTo(new[] { "professional" }));
    }

    [Test]
    public async Task Keycloak_setup_declares_admin_edited_single_valued_attributes_and_keeps_the_rest_of_the_profile()
    {
        await using var app = await BillingApp.StartAsync(keycloakSetUp: false);
        var profile = app.Keycloak.Profile.Configuration;
        profile["attributes"]!.AsArray().Add(new JsonObject { ["name"] = "department", ["permissions"] = new JsonObject { ["view"] = new JsonArray("admin"), ["edit"] = new JsonArray("admin", "user") } });
        profile["unmanagedAttributePolicy"] = "ADMIN_VIEW";
        Assert.That(app.Keycloak.Profile.Replace(profile), Is.Null);

        await app.DeclareKeycloakAttributesAsync();
        var stored = app.Keycloak.Profile.Configuration;
        var attributes = stored["attributes"]!.AsArray().OfType<JsonObject>().ToDictionary(a => a["name"]!.GetValue<string>());

        Assert.That(attributes.Keys, Is.SupersetOf(new[] { "username", "email", "firstName", "lastName", "department", "subscription_tier", "stripe_subscription_id" }));
        Assert.That(stored["unmanagedAttributePolicy"]!.GetValue<string>(), Is.EqualTo("ADMIN_VIEW"));
        var tier = attributes["subscription_tier"];
        Assert.That(tier["permissions"]!["view"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EquivalentTo(new[] { "admin", "user" }));
        Assert.That(tier["permissions"]!["edit"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EquivalentTo(new[] { "admin" }), "users may see their tier, never edit it");
        Assert.That(tier["multivalued"]!.GetValue<bool>(), Is.False);
        Assert.That(tier["validations"]!["length"]!["max"]!.GetValue<int>(), Is.GreaterThan(0));
    }

    [Test]
    public async Task Once_the_attributes_are_declared_elsewhere_the_parked_deliveries_land_without_a_replay()
    {
        await using var app = await BillingApp.StartWithCatalogAsync(keycloakSetUp: false, configure: s => s["Billing:ParkedDeliveries:Interval"] = "00:00:01");
        using var admin = app.Admin();
        var (user, _) = await SubscribeAsync(app);
        await Webhooks.EventuallyAsync(
            async () => (await admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/sync-failures"))!.Count(m => m!["user_id"]!.GetValue<string>() == user.Id),
            parked => parked > 0);

        // `keycloak setup` run by another process (or an administrator declaring them by hand): this service is not told.
        // The six of a realm set up before teams, and the entitlements the catalog names: enough while teams are not billed.
        var profile = app.Keycloak.Profile.Configuration;
        foreach (var name in new[] { "subscription_tier", "subscription_status", "stripe_customer_id", "stripe_subscription_id", "subscription_start_date", "subscription_end_date", "billing_entitlements" })
        {
            profile["attributes"]!.AsArray().Add(new JsonObject { ["name"] = name, ["permissions"] = new JsonObject { ["view"] = new JsonArray("admin"), ["edit"] = new JsonArray("admin") } });
        }

        Assert.That(app.Keycloak.Profile.Replace(profile), Is.Null);
        var synced = await Webhooks.EventuallyAsync(() => Task.FromResult(app.Keycloak.FindUser(user.Id)!), u => u.Attributes.GetValueOrDefault("subscription_tier")?.SequenceEqual(["professional"]) == true, TimeSpan.FromSeconds(60));

        Assert.That(synced.Attributes["subscription_tier"], Is.EqualTo(new[] { "professional" }));
        var stillParked = await Webhooks.EventuallyAsync(
            async () => (await admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/sync-failures"))!.Count(m => m!["user_id"]!.GetValue<string>() == user.Id),
            parked => parked == 0,
            TimeSpan.FromSeconds(60));
        Assert.That(stillParked, Is.Zero, "every delivery parked for the undeclared attributes went again by itself");
    }

    [Test]
    public async Task A_realm_without_a_user_profile_gets_the_attributes_and_readiness_says_which_kind_it_is()
    {
        await using var app = await BillingApp.StartWithCatalogAsync(keycloakSetUp: false);
        app.Keycloak.DeclarativeUserProfile = false;

        var (user, _) = await SubscribeAsync(app);
        var synced = await Webhooks.EventuallyAsync(() => Task.FromResult(app.Keycloak.FindUser(user.Id)!), u => u.Attributes.GetValueOrDefault("subscription_tier")?.SequenceEqual(["professional"]) == true);
        using var ready = await app.Anonymous().GetAsync("/health/ready");
        var keycloak = (await ready.Content.ReadFromJsonAsync<JsonObject>())!["checks"]!["keycloak"]!;
        var setup = await app.DeclareKeycloakAttributesAsync();

        Assert.That(synced.Attributes["subscription_tier"], Is.EqualTo(new[] { "professional" }));
        Assert.That(keycloak["status"]!.GetValue<string>(), Is.EqualTo("healthy"));
        Assert.That(keycloak["description"]!.GetValue<string>(), Does.Contain("no declarative user profile").And.Contain("before 24"));
        Assert.That(setup, Is.Empty, "keycloak setup has nothing to declare there");
    }
}
