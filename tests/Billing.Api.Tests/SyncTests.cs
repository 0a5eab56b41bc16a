using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Common;
using Billing.Sandbox.Keycloak;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>Keycloak and Lago kept in step through the outbox: signed webhook in, attributes and Lago objects out.</summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class SyncTests(Database database) : AppFixture(database)
{
    [TearDown]
    public void Reset()
    {
        App.Keycloak.Faults.Clear();
        App.Lago.Faults.Clear();
        App.Lago.RejectCustomersWith = null;
        App.Stripe.Webhooks.Copies = 1;
        App.Stripe.Webhooks.Order = DeliveryOrder.AsEmitted;
    }

    private KeycloakUser NewKeycloakUser() => App.Keycloak.AddUser(
        $"user-{Guid.NewGuid():N}"[..16],
        $"{Guid.NewGuid():N}@example.com",
        id: Guid.NewGuid().ToString(),
        attributes: new() { ["department"] = ["research"], ["locale"] = ["fr"] });

    private async Task<string> SubscribeAsync(KeycloakUser user, string tier = "professional", string cycle = "monthly")
    {
        using var client = App.ClientFor(user.Id, user.Email);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = tier, billing_cycle = cycle });
        var session = await response.Content.ReadFromJsonAsync<JsonObject>();
        var completed = App.Stripe.CompleteCheckout(session!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        return completed.Body["subscription"]!.GetValue<string>();
    }

    private static string? Attribute(KeycloakUser user, string key) => user.Attributes.TryGetValue(key, out var values) ? values.SingleOrDefault() : null;

    private async Task<KeycloakUser> KeycloakEventuallyAsync(KeycloakUser user, Func<KeycloakUser, bool> done, TimeSpan? timeout = null) =>
        await Webhooks.EventuallyAsync(() => Task.FromResult(App.Keycloak.FindUser(user.Id)!), done, timeout);

    [Test]
    public async Task A_paid_checkout_reaches_Keycloak_and_Lago_and_keeps_the_users_other_attributes()
    {
        var user = NewKeycloakUser();
        user.FirstName = "Ada";

        var subscriptionId = await SubscribeAsync(user);
        var synced = await KeycloakEventuallyAsync(user, u => Attribute(u, "subscription_tier") == "professional");
        var stripe = App.Stripe.Subscription(subscriptionId)!;
        var customerId = stripe["customer"]!.GetValue<string>();
        await Webhooks.EventuallyAsync(() => Task.FromResult(App.Lago.Subscriptions.ContainsKey(subscriptionId)), found => found);

        Assert.That(Attribute(synced, "subscription_status"), Is.EqualTo("active"));
        Assert.That(Attribute(synced, "stripe_customer_id"), Is.EqualTo(customerId));
        Assert.That(Attribute(synced, "stripe_subscription_id"), Is.EqualTo(subscriptionId));
        var start = DateTimeOffset.FromUnixTimeSeconds(stripe["items"]!["data"]![0]!["current_period_start"]!.GetValue<long>());
        var end = DateTimeOffset.FromUnixTimeSeconds(stripe["items"]!["data"]![0]!["current_period_end"]!.GetValue<long>());
        Assert.That(Attribute(synced, "subscription_start_date"), Is.EqualTo(start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(Attribute(synced, "subscription_end_date"), Is.EqualTo(end.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(Attribute(synced, "department"), Is.EqualTo("research"), "attributes the service does not own survive");
        Assert.That(Attribute(synced, "locale"), Is.EqualTo("fr"));
        Assert.That(synced.FirstName, Is.EqualTo("Ada"), "root fields survive the full-representation PUT");
        Assert.That(synced.Email, Is.EqualTo(user.Email));

        var put = App.Keycloak.Requests.Matching("PUT", $"/admin/realms/{App.Keycloak.Realm}/users/{user.Id}").Last();
        var body = JsonNode.Parse(put.Body)!;
        Assert.That(body["username"]!.GetValue<string>(), Is.EqualTo(user.Username));
        Assert.That(body["attributes"]!["subscription_tier"]![0]!.GetValue<string>(), Is.EqualTo("professional"));

        var lagoCustomer = App.Lago.Customers[customerId];
        Assert.That(lagoCustomer["email"]!.GetValue<string>(), Is.EqualTo(user.Email));
        Assert.That(lagoCustomer["billing_configuration"]!["payment_provider"]!.GetValue<string>(), Is.EqualTo("stripe"));
        Assert.That(lagoCustomer["billing_configuration"]!["provider_customer_id"]!.GetValue<string>(), Is.EqualTo(customerId));
        Assert.That(lagoCustomer["billing_configuration"]!["sync"]!.GetValue<bool>(), Is.False);
        var metadata = lagoCustomer["metadata"]!.AsArray();
        Assert.That(metadata.Select(m => (m!["key"]!.GetValue<string>(), m["value"]!.GetValue<string>(), m["display_in_invoice"]!.GetValue<bool>())), Does.Contain(("tier", "professional", false)).And.Contain(("subscription_id", subscriptionId, false)));
        Assert.That(App.Lago.Subscriptions[subscriptionId]["plan_code"]!.GetValue<string>(), Is.EqualTo("professional"));
        Assert.That(App.Lago.Subscriptions[subscriptionId]["external_customer_id"]!.GetValue<string>(), Is.EqualTo(customerId));
        var lagoPost = App.Lago.Requests.Matching("POST", "/api/v1/customers").Last(r => r.Body.Contains(customerId, StringComparison.Ordinal));
        Assert.That(lagoPost.Authorization, Is.EqualTo($"Bearer {App.Lago.ApiKey}"));
        Assert.That(JsonNode.Parse(lagoPost.Body)!["customer"]!["external_id"]!.GetValue<string>(), Is.EqualTo(customerId));
    }

    [Test]
    public async Task Cancelling_now_terminates_the_Lago_subscription_and_puts_Keycloak_back_on_trial()
    {
        var user = NewKeycloakUser();
        var subscriptionId = await SubscribeAsync(user, "starter");
        await KeycloakEventuallyAsync(user, u => Attribute(u, "subscription_tier") == "starter");
        using var client = App.ClientFor(user.Id, user.Email);

        using var cancel = await client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { at_period_end = false });
        var synced = await KeycloakEventuallyAsync(user, u => Attribute(u, "subscription_status") == "canceled");
        await Webhooks.EventuallyAsync(() => Task.FromResult(App.Lago.Subscriptions[subscriptionId]["status"]!.GetValue<string>()), s => s == "terminated");

        var answer = await cancel.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Attribute(synced, "subscription_tier"), Is.EqualTo("trial"));
        Assert.That(Attribute(synced, "subscription_end_date"), Is.EqualTo(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), "it ended today, not at the end of the paid period");
        Assert.That(answer!["current_period_end"]!.GetValue<DateTimeOffset>(), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(2)));
        Assert.That(App.Lago.Subscriptions[subscriptionId]["status"]!.GetValue<string>(), Is.EqualTo("terminated"));
    }

    [Test]
    public async Task While_Keycloak_is_down_changes_wait_and_the_latest_state_arrives_when_it_is_back()
    {
        var user = NewKeycloakUser();
        await SubscribeAsync(user, "starter");
        await KeycloakEventuallyAsync(user, u => Attribute(u, "subscription_tier") == "starter");
        using var client = App.ClientFor(user.Id, user.Email);
        App.Keycloak.Faults.FailFor(TimeSpan.FromSeconds(2), FaultKind.ServerError, "/admin/");

        using var upgrade = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "professional", billing_cycle = "monthly" });
        using var again = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "enterprise", billing_cycle = "yearly" });
        await Task.Delay(300);
        var during = Attribute(App.Keycloak.FindUser(user.Id)!, "subscription_tier");
        var synced = await KeycloakEventuallyAsync(user, u => Attribute(u, "subscription_tier") == "enterprise", TimeSpan.FromSeconds(30));

        Assert.That(upgrade.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(during, Is.EqualTo("starter"), "nothing got through while Keycloak was down");
        Assert.That(Attribute(synced, "subscription_tier"), Is.EqualTo("enterprise"));
        Assert.That(Attribute(synced, "department"), Is.EqualTo("research"));
        var account = await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{user.Id}");
        Assert.That(account!["outbox"]!.AsArray().Where(m => m!["target"]!.GetValue<string>() == "keycloak").Select(m => m!["status"]!.GetValue<string>()), Has.No.Member("parked"));
    }

    [Test]
    public async Task A_Lago_422_is_parked_with_its_reason_and_replayable()
    {
        var user = NewKeycloakUser();
        App.Lago.RejectCustomersWith = ("currency", "currencies_does_not_match");

        await SubscribeAsync(user);
        var parked = await Webhooks.EventuallyAsync(
            async () => (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/sync-failures"))!.Where(m => m!["user_id"]!.GetValue<string>() == user.Id).ToList(),
            list => list.Count > 0);

        // The customer link and the subscription are two changes: each may be parked before the next supersedes it.
        Assert.That(parked.Select(p => p!["target"]!.GetValue<string>()), Is.All.EqualTo("lago"));
        Assert.That(parked.Select(p => p!["last_error"]!.GetValue<string>()), Is.All.Contain("currencies_does_not_match"));
        Assert.That(Attribute((await KeycloakEventuallyAsync(user, u => Attribute(u, "subscription_tier") == "professional"))!, "subscription_tier"), Is.EqualTo("professional"), "Keycloak is not held back by Lago");

        App.Lago.RejectCustomersWith = null;
        using var replay = await Admin.PostAsync($"/api/v1/billing/admin/sync-failures/{parked[^1]!["id"]}/replay", null);
        var customer = App.Stripe.Subscription(App.Keycloak.FindUser(user.Id)!.Attributes["stripe_subscription_id"][0])!["customer"]!.GetValue<string>();
        await Webhooks.EventuallyAsync(() => Task.FromResult(App.Lago.Customers.ContainsKey(customer)), found => found);

        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(App.Lago.Customers.ContainsKey(customer), Is.True);
    }

    [Test]
    public async Task Opening_the_portal_links_a_customer_and_Keycloak_hears_of_it_like_any_change()
    {
        var user = NewKeycloakUser();
        using var client = App.ClientFor(user.Id, user.Email);

        using var portal = await client.PostAsync("/api/v1/billing/portal/create", null);
        var synced = await KeycloakEventuallyAsync(user, u => Attribute(u, "stripe_customer_id") is not null);
        var account = await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{user.Id}");

        Assert.That(portal.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Attribute(synced, "stripe_customer_id"), Is.EqualTo(account!["stripe_customer_id"]!.GetValue<string>()));
        Assert.That(Attribute(synced, "subscription_tier"), Is.EqualTo("trial"));
    }

    [Test]
    public async Task A_user_missing_in_Keycloak_is_a_parked_failure_not_a_crash()
    {
        var ghost = new KeycloakUser { Id = Guid.NewGuid().ToString(), Username = "ghost", Email = $"{Guid.NewGuid():N}@nowhere.example" };

        await SubscribeAsync(ghost);
        var parked = await Webhooks.EventuallyAsync(
            async () => (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/sync-failures"))!.Where(m => m!["user_id"]!.GetValue<string>() == ghost.Id).ToList(),
            list => list.Count > 0);
        using var health = await App.Anonymous().GetAsync("/health/live");

        // Linking the customer and the subscription are two changes: each may be parked before the next supersedes it.
        Assert.That(parked.Select(p => p!["target"]!.GetValue<string>()), Is.All.EqualTo("keycloak"));
        Assert.That(parked.Select(p => p!["last_error"]!.GetValue<string>()), Is.All.Contain("keycloak_user_missing"));
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task TheAdmin_token_is_reused_across_many_syncs()
    {
        var before = App.Keycloak.TokensIssued;
        var users = Enumerable.Range(0, 10).Select(_ => NewKeycloakUser()).ToList();

        foreach (var user in users)
        {
            await SubscribeAsync(user, "starter");
        }

        foreach (var user in users)
        {
            await KeycloakEventuallyAsync(user, u => Attribute(u, "subscription_tier") == "starter");
        }

        Assert.That(App.Keycloak.TokensIssued - before, Is.LessThanOrEqualTo(1));
        Assert.That(App.Keycloak.TokensIssued, Is.EqualTo(1), "one token for the whole fixture so far");
    }

    [Test]
    public async Task Duplicated_and_reversed_webhooks_end_in_one_correct_state_in_both_systems()
    {
        var user = NewKeycloakUser();
        App.Stripe.Webhooks.Copies = 3;
        App.Stripe.Webhooks.Order = DeliveryOrder.Reversed;

        var subscriptionId = await SubscribeAsync(user, "enterprise", "monthly");
        await App.SettleAsync();
        var synced = await KeycloakEventuallyAsync(user, u => Attribute(u, "subscription_tier") == "enterprise");
        await Webhooks.EventuallyAsync(() => Task.FromResult(App.Lago.Subscriptions.ContainsKey(subscriptionId)), found => found);

        Assert.That(Attribute(synced, "subscription_status"), Is.EqualTo("active"));
        Assert.That(App.Lago.Subscriptions.Values.Count(s => s["external_id"]!.GetValue<string>() == subscriptionId), Is.EqualTo(1));
        Assert.That(App.Lago.Subscriptions[subscriptionId]["plan_code"]!.GetValue<string>(), Is.EqualTo("enterprise"));
    }

    [Test]
    public async Task Readiness_reports_Keycloak_and_Lago_out_of_reach_as_degraded_not_down()
    {
        using var client = App.Anonymous();
        App.Keycloak.Faults.FailFor(TimeSpan.FromSeconds(20), FaultKind.RefuseConnection, "/realms/");
        App.Lago.Faults.FailFor(TimeSpan.FromSeconds(20), FaultKind.ServerError);

        using var response = await client.GetAsync("/health/ready");
        var report = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(report!["status"]!.GetValue<string>(), Is.EqualTo("degraded"));
        Assert.That(report["checks"]!["keycloak"]!["status"]!.GetValue<string>(), Is.EqualTo("degraded"));
        Assert.That(report["checks"]!["lago"]!["status"]!.GetValue<string>(), Is.EqualTo("degraded"));
        Assert.That(report["checks"]!["database"]!["status"]!.GetValue<string>(), Is.EqualTo("healthy"));
    }
}
