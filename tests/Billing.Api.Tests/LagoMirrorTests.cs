using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Keycloak;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>
/// Lago as it really behaves (L1–L5): metadata updated by id, the Stripe link sent once, a missing payment
/// provider named, downgrades held until the period ends, and the customer named as Keycloak names the user.
/// </summary>
public sealed class LagoMirrorTests : AppFixture
{
    // The downgrade Lago holds is one Stripe makes at once (with period_end the tier changes only when the period ends).
    protected override void Configure(Dictionary<string, string?> settings) => settings["Billing:Downgrades"] = "now";

    [TearDown]
    public void Reset()
    {
        App.Lago.PaymentProviders.Clear();
        App.Lago.PaymentProviders.Add("stripe");
    }

    private KeycloakUser NewUser(string? first = null, string? last = null)
    {
        var user = App.Keycloak.AddUser($"lm-{Guid.NewGuid():N}"[..16], $"{Guid.NewGuid():N}@example.com", id: Guid.NewGuid().ToString());
        user.FirstName = first;
        user.LastName = last;
        return user;
    }

    private async Task<(HttpClient Client, string CustomerId, string SubscriptionId)> SubscribeAsync(KeycloakUser user, string tier = "professional")
    {
        var client = App.ClientFor(user.Id, user.Email);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = tier, billing_cycle = "monthly" });
        var session = await response.Content.ReadFromJsonAsync<JsonObject>();
        var completed = App.Stripe.CompleteCheckout(session!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds).Body;
        return (client, completed["customer"]!.GetValue<string>(), completed["subscription"]!.GetValue<string>());
    }

    private async Task<JsonObject> SettledAccountAsync(string userId)
    {
        await App.SettleAsync();
        return await Webhooks.EventuallyAsync(
            async () => (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{userId}"))!,
            a => a["outbox"]!.AsArray().All(m => m!["status"]!.GetValue<string>() is not "pending"));
    }

    private static IReadOnlyDictionary<string, (string Value, string Id)> Metadata(JsonObject customer) =>
        customer["metadata"]!.AsArray().ToDictionary(m => m!["key"]!.GetValue<string>(), m => (m!["value"]!.GetValue<string>(), m["lago_id"]!.GetValue<string>()));

    [Test]
    public async Task Later_updates_send_metadata_by_id_keep_keys_others_set_and_never_send_the_stripe_link_again()
    {
        var user = NewUser();
        var (client, customerId, subscriptionId) = await SubscribeAsync(user, "starter");
        await SettledAccountAsync(user.Id);
        var first = Metadata(App.Lago.Customers[customerId]);

        // Someone adds a key of their own in Lago; the service must not delete it.
        var withOwn = App.Lago.Customers[customerId]["metadata"]!.AsArray();
        withOwn.Add(new JsonObject { ["lago_id"] = Guid.NewGuid().ToString(), ["key"] = "crm_id", ["value"] = "crm-42", ["display_in_invoice"] = false });
        using var upgrade = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "enterprise", billing_cycle = "monthly" });
        var account = await SettledAccountAsync(user.Id);
        var after = Metadata(App.Lago.Customers[customerId]);
        var posts = App.Lago.Requests.Matching("POST", "/api/v1/customers").Where(r => r.Body.Contains(customerId, StringComparison.Ordinal)).ToList();

        Assert.That(upgrade.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(account["outbox"]!.AsArray().Select(m => m!["status"]!.GetValue<string>()), Has.No.Member("parked"));
        Assert.That(after["tier"].Value, Is.EqualTo("enterprise"));
        Assert.That(after["tier"].Id, Is.EqualTo(first["tier"].Id), "the row is updated by its id, not created again");
        Assert.That(after["subscription_id"].Value, Is.EqualTo(subscriptionId));
        Assert.That(after["crm_id"].Value, Is.EqualTo("crm-42"));
        Assert.That(posts.Count(p => p.Body.Contains("billing_configuration", StringComparison.Ordinal)), Is.EqualTo(1), "the Stripe link goes once, with the creation");
        Assert.That(App.Lago.StripeCustomerOverwrites.Where(o => o.StripeCustomerId == customerId), Is.Empty, "Lago never pushes empty fields over the Stripe customer");
        Assert.That(posts.SelectMany(p => JsonNode.Parse(p.Body)!["customer"]!["metadata"]!.AsArray()).Select(m => m!["key"]!.GetValue<string>()), Has.All.Length.LessThanOrEqualTo(20));
    }

    [Test]
    public async Task The_Lago_customer_is_named_as_Keycloak_names_the_user()
    {
        var named = NewUser("Ada", "Lovelace");
        var unnamed = NewUser();

        var (_, namedCustomer, _) = await SubscribeAsync(named);
        var (_, unnamedCustomer, _) = await SubscribeAsync(unnamed);
        await SettledAccountAsync(named.Id);
        await SettledAccountAsync(unnamed.Id);

        Assert.That(App.Lago.Customers[namedCustomer]["name"]!.GetValue<string>(), Is.EqualTo("Ada Lovelace"));
        Assert.That(App.Lago.Customers[unnamedCustomer]["name"]!.GetValue<string>(), Is.EqualTo(unnamed.Email), "without a name in Keycloak, the e-mail");
    }

    [Test]
    public async Task Without_a_Stripe_connection_in_Lago_the_delivery_is_parked_naming_the_setting_and_a_replay_links_it()
    {
        App.Lago.PaymentProviders.Clear();
        var user = NewUser();
        var (_, customerId, _) = await SubscribeAsync(user);
        var parked = await Webhooks.EventuallyAsync(
            async () => (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/sync-failures"))!.Where(m => m!["user_id"]!.GetValue<string>() == user.Id && m["target"]!.GetValue<string>() == "lago").ToList(),
            list => list.Count > 0);

        Assert.That(parked.Select(m => m!["last_error"]!.GetValue<string>()), Is.All.Contain("LAGO_STRIPE_PROVIDER_CODE"));
        Assert.That(parked.Select(m => m!["attempts"]!.GetValue<int>()), Is.All.EqualTo(1), "parked at once: retrying cannot fix a setting");

        App.Lago.PaymentProviders.Add("stripe");
        foreach (var message in parked)
        {
            using var replay = await Admin.PostAsync($"/api/v1/billing/admin/sync-failures/{message!["id"]}/replay", null);
        }

        var linked = await Webhooks.EventuallyAsync(
            () => Task.FromResult(App.Lago.Customers[customerId]["billing_configuration"]?["provider_customer_id"]?.GetValue<string>()),
            id => id is not null);
        Assert.That(linked, Is.EqualTo(customerId), "the customer Lago kept without its link gets it on the replay");
    }

    [Test]
    public async Task With_several_Stripe_connections_the_configured_provider_code_is_sent()
    {
        await using var app = await BillingApp.StartWithCatalogAsync(configure: s => s["LAGO_STRIPE_PROVIDER_CODE"] = "stripe_us");
        app.Lago.PaymentProviders.Clear();
        app.Lago.PaymentProviders.AddRange(["stripe_eu", "stripe_us"]);
        var user = app.Keycloak.AddUser("multi", "multi@example.com", id: Guid.NewGuid().ToString());
        using var client = app.ClientFor(user.Id, user.Email);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });
        var session = await response.Content.ReadFromJsonAsync<JsonObject>();
        var customerId = app.Stripe.CompleteCheckout(session!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds).Body["customer"]!.GetValue<string>();

        var code = await Webhooks.EventuallyAsync(
            () => Task.FromResult(app.Lago.Customers.GetValueOrDefault(customerId)?["billing_configuration"]?["payment_provider_code"]?.GetValue<string>()),
            c => c is not null);

        Assert.That(code, Is.EqualTo("stripe_us"));
    }

    [Test]
    public async Task A_downgrade_Lago_holds_until_the_period_end_is_delivered_and_shown_as_pending()
    {
        var user = NewUser();
        var (client, _, subscriptionId) = await SubscribeAsync(user, "enterprise");
        await SettledAccountAsync(user.Id);

        using var downgrade = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "starter", billing_cycle = "monthly" });
        var account = await SettledAccountAsync(user.Id);
        var lago = account["last_sync_results"]!["lago"]!;

        Assert.That(downgrade.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(lago["status"]!.GetValue<string>(), Is.EqualTo("delivered"));
        Assert.That(lago["attempts"]!.GetValue<int>(), Is.EqualTo(1), "a pending downgrade is not retried");
        Assert.That(lago["outcome"]!.GetValue<string>(), Does.Contain("downgrade to plan starter pending"));
        Assert.That(App.Lago.Subscriptions[subscriptionId]["plan_code"]!.GetValue<string>(), Is.EqualTo("enterprise"));
        Assert.That(App.Lago.Subscriptions[subscriptionId]["next_plan_code"]!.GetValue<string>(), Is.EqualTo("starter"));
    }

    [Test]
    public async Task Cancelling_a_subscription_Lago_already_terminated_is_success()
    {
        var user = NewUser();
        var (client, _, subscriptionId) = await SubscribeAsync(user, "starter");
        await SettledAccountAsync(user.Id);
        using var lago = new HttpClient { BaseAddress = App.Lago.BaseUrl };
        lago.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", App.Lago.ApiKey);
        using var terminated = await lago.DeleteAsync($"api/v1/subscriptions/{subscriptionId}");

        using var cancel = await client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { at_period_end = false });
        var account = await SettledAccountAsync(user.Id);

        Assert.That(terminated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(account["last_sync_results"]!["lago"]!["status"]!.GetValue<string>(), Is.EqualTo("delivered"));
        Assert.That(account["last_sync_results"]!["lago"]!["outcome"]!.GetValue<string>(), Does.Contain("terminated"));
    }
}
