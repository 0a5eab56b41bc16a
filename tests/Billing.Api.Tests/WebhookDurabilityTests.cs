using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;

namespace Billing.Api.Tests;

/// <summary>Nothing accepted is lost when an instance stops, and replicas on one PostgreSQL process each event once.</summary>
public sealed class WebhookDurabilityTests
{
    private const string OtherApiVersion = "2025-03-31.basil";

    [TestCase(Database.Sqlite)]
    [TestCase(Database.Postgres)]
    public async Task An_event_stored_by_an_instance_that_stops_before_processing_is_processed_after_restart(Database database)
    {
        await using var app = await BillingApp.StartAsync(database, s => s["Billing:Webhooks:Enabled"] = "false");
        await app.PublishCatalogAsync();
        var (_, subscriptionId) = app.Stripe.SeedSubscription("professional_monthly", "crash-user");
        using (var stripe = app.Anonymous())
        {
            using var response = await Webhooks.PostAsync(stripe, Webhooks.Event("customer.subscription.created", app.Stripe.Subscription(subscriptionId)!));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await app.Host.DisposeAsync();
        app.Settings["Billing:Webhooks:Enabled"] = "true";
        app.Settings["Billing:Webhooks:PollInterval"] = "00:00:00.050";
        var restarted = app.AddHost();
        using var admin = restarted.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", app.Keycloak.IssueToken("admin", "a@example.com", ["billing-admin"]));
        await Webhooks.WaitUntilProcessedAsync(admin);
        using var user = restarted.CreateClient();
        user.DefaultRequestHeaders.Authorization = new("Bearer", app.Keycloak.IssueToken("crash-user", "c@example.com"));
        var status = await user.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status");

        Assert.That(status!["tier_id"]!.GetValue<string>(), Is.EqualTo("professional"));
        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("active"));
    }

    [TestCase(Database.Sqlite)]
    [TestCase(Database.Postgres)]
    public async Task A_backlog_of_one_subscriptions_events_is_applied_together_and_Keycloak_hears_its_final_state_once(Database database)
    {
        // The day before: the account is subscribed and Keycloak knows it.
        await using var app = await BillingApp.StartAsync(database, s => s["Billing:Webhooks:PollInterval"] = "00:00:00.050");
        await app.PublishCatalogAsync();
        var user = app.Keycloak.AddUser("lane-user", "lane@example.com", id: Guid.NewGuid().ToString());
        var (_, subscriptionId) = app.Stripe.SeedSubscription("starter_monthly", user.Id);
        var active = app.Stripe.Subscription(subscriptionId)!;
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        using (var stripe = app.Anonymous())
        using (var admin = app.Admin())
        {
            using var response = await Webhooks.PostAsync(stripe, Webhooks.Event("customer.subscription.created", active, created: t0));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            await Webhooks.WaitUntilProcessedAsync(admin);
            await Webhooks.EventuallyAsync(() => Task.FromResult(app.Keycloak.FindUser(user.Id)!), u => u.Attributes.ContainsKey("subscription_tier"));
        }

        // An instance that does not process stores three changes of the subscription, then stops.
        await app.Host.DisposeAsync();
        app.Settings["Billing:Webhooks:Enabled"] = "false";
        var storing = app.AddHost();
        var canceling = active.DeepClone().AsObject();
        canceling["cancel_at_period_end"] = true;
        using (var stripe = storing.CreateClient())
        {
            foreach (var (state, second) in new[] { (canceling, 1), (active, 2), (canceling, 3) })
            {
                using var response = await Webhooks.PostAsync(stripe, Webhooks.Event("customer.subscription.updated", state, created: t0.AddSeconds(second)));
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }
        }

        // The next one finds them waiting: one lane, one account change, one write to Keycloak.
        await storing.DisposeAsync();
        app.Keycloak.Requests.Clear();
        app.Settings["Billing:Webhooks:Enabled"] = "true";
        var restarted = app.AddHost();
        using var restartedAdmin = restarted.CreateClient();
        restartedAdmin.DefaultRequestHeaders.Authorization = new("Bearer", app.Keycloak.IssueToken("admin", "a@example.com", ["billing-admin"]));
        await Webhooks.WaitUntilProcessedAsync(restartedAdmin);
        await Webhooks.EventuallyAsync(() => Task.FromResult(app.Keycloak.Requests.Count("PUT", $"/admin/realms/{app.Keycloak.Realm}/users/{user.Id}")), n => n > 0);
        await Task.Delay(TimeSpan.FromSeconds(1));

        var events = (await restartedAdmin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/webhook-events?limit=10"))!;
        var account = (await restartedAdmin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{user.Id}"))!;
        Assert.That(events.Select(e => e!["status"]!.GetValue<string>()), Is.All.EqualTo("processed"));
        Assert.That(account["subscription"]!["cancel_at_period_end"]!.GetValue<bool>(), Is.True, "the newest snapshot wins");
        Assert.That(app.Keycloak.Requests.Count("PUT", $"/admin/realms/{app.Keycloak.Realm}/users/{user.Id}"), Is.EqualTo(1), "one account change for the lane, one write to Keycloak");
    }

    [Test]
    public async Task Two_instances_on_one_PostgreSQL_never_process_an_event_twice()
    {
        await using var app = await BillingApp.StartAsync(Database.Postgres, s =>
        {
            s["Billing:Webhooks:PollInterval"] = "00:00:00.010";
            s["Billing:Webhooks:BatchSize"] = "4";
        });
        await app.PublishCatalogAsync();
        var second = app.AddHost();
        const int Events = 60;
        var subscriptions = Enumerable.Range(0, Events).Select(i => app.Stripe.SeedSubscription("starter_monthly", $"replica-user-{i}").SubscriptionId).ToList();
        app.Stripe.Requests.Clear();

        using var first = app.Anonymous();
        using var other = second.CreateClient();
        await Parallel.ForEachAsync(subscriptions.Select((id, i) => (id, i)), async (s, _) =>
        {
            using var response = await Webhooks.PostAsync(s.i % 2 == 0 ? first : other, Webhooks.Event("customer.subscription.created", app.Stripe.Subscription(s.id)!, apiVersion: OtherApiVersion));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
        using var admin = app.Admin();
        await Webhooks.WaitUntilProcessedAsync(admin, TimeSpan.FromSeconds(60));
        var processed = await admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/webhook-events?status=processed&limit=500");

        Assert.That(processed, Has.Count.EqualTo(Events));
        Assert.That(processed!.Select(e => e!["attempts"]!.GetValue<int>()), Is.All.EqualTo(1));
        foreach (var id in subscriptions)
        {
            // An event of another API version is read from Stripe: one read is one processing.
            Assert.That(app.Stripe.Requests.CountAnswered("GET", $"/v1/subscriptions/{id}"), Is.EqualTo(1), $"{id} was fetched by more than one worker");
        }
    }

    [Test]
    public async Task Two_instances_receiving_the_same_events_in_opposite_orders_answer_every_delivery_200()
    {
        await using var app = await BillingApp.StartWithCatalogAsync(Database.Postgres, s => s["Billing:Webhooks:Enabled"] = "false");
        var second = app.AddHost();
        using var one = app.Anonymous();
        using var two = second.CreateClient();
        var events = Enumerable.Range(0, 120)
            .Select(i => Webhooks.Event("customer.created", new System.Text.Json.Nodes.JsonObject { ["id"] = $"cus_{i}", ["object"] = "customer" }, id: $"evt_order_{i:D3}"))
            .ToList();

        // Each instance gets every event, in the opposite order, many at once: their batches overlap both ways.
        var forward = events.Select(e => Webhooks.PostAsync(one, e));
        var backward = Enumerable.Reverse(events).Select(e => Webhooks.PostAsync(two, e));
        var answers = await Task.WhenAll(forward.Concat(backward));

        Assert.That(answers.Select(a => (int)a.StatusCode), Is.All.EqualTo(200));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }
}
