using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;

namespace Billing.Api.Tests;

/// <summary>
/// Renewal day, scaled down: every subscription renews at once, each with several events delivered shuffled and
/// some twice, while Stripe allows only so many requests a second. The events carry the state, so they cost no
/// read; where reads remain (events in another API version), Stripe's 429s are waited out, and nothing fails.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class RenewalDayTests(Database database) : AppFixture(database)
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Billing:Stripe:RequestsPerSecond"] = "100";
        settings["Billing:Webhooks:Parallelism"] = "4";
        settings["Billing:Webhooks:BatchSize"] = "64";
    }

    [TearDown]
    public void RestoreStripeLimits()
    {
        App.Stripe.RateLimits.EndpointPerSecond = 25;
        App.Stripe.RateLimits.GlobalPerSecond = 100;
    }

    /// <summary>Seeds subscriptions (Stripe renewed them) and the events Stripe made for each, created at the renewal.</summary>
    private List<JsonObject> Renewals(int subscriptions, int eventsEach, double duplicateShare, out List<string> ids, string apiVersion = Billing.Sandbox.Stripe.StripeStandIn.ApiVersion)
    {
        var renewedAt = DateTimeOffset.UtcNow.AddSeconds(-30);
        ids = [];
        var events = new List<JsonObject>();
        for (var i = 0; i < subscriptions; i++)
        {
            var (_, subscriptionId) = App.Stripe.SeedSubscription("starter_monthly", $"renew-{Guid.NewGuid():N}"[..20]);
            ids.Add(subscriptionId);
            var state = App.Stripe.Subscription(subscriptionId)!;
            for (var e = 0; e < eventsEach; e++)
            {
                events.Add(Webhooks.Event(e == 0 ? "customer.subscription.created" : "customer.subscription.updated", state.DeepClone().AsObject(), apiVersion: apiVersion, created: renewedAt.AddMilliseconds(e)));
            }
        }

        var random = new Random(17);
        events.AddRange(events.OrderBy(_ => random.Next()).Take((int)(events.Count * duplicateShare)).Select(e => e.DeepClone().AsObject()).ToList());
        return [.. events.OrderBy(_ => random.Next())];
    }

    private async Task DeliverAsync(IEnumerable<JsonObject> events)
    {
        using var client = App.Anonymous();
        await Parallel.ForEachAsync(events, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (evt, _) =>
        {
            using var response = await Webhooks.PostAsync(client, evt);
            Assert.That(response.IsSuccessStatusCode, Is.True);
        });
    }

    [Test]
    public async Task Five_hundred_renewals_of_four_shuffled_events_with_duplicates_cost_at_most_a_twentieth_of_a_read_each_and_nothing_fails()
    {
        App.Stripe.RateLimits.EndpointPerSecond = 120;
        App.Stripe.RateLimits.GlobalPerSecond = 150;
        var events = Renewals(500, 4, 0.2, out var subscriptions);
        var reads = App.Stripe.Requests.Count("GET", "/v1/subscriptions/");

        await DeliverAsync(events);
        await Webhooks.WaitUntilProcessedAsync(Admin, TimeSpan.FromSeconds(90));

        var made = App.Stripe.Requests.Count("GET", "/v1/subscriptions/") - reads;
        var failed = (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/webhook-events?status=failed&limit=500"))!;
        Assert.That(events, Has.Count.EqualTo(2400));
        Assert.That(made, Is.LessThanOrEqualTo(25), $"{made} reads for {subscriptions.Count} subscriptions: the events carry the state");
        Assert.That(failed, Is.Empty);
        var account = (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{App.Stripe.Subscription(subscriptions[^1])!["metadata"]!["keycloak_user_id"]}"))!;
        Assert.That(account["subscription"]!["status"]!.GetValue<string>(), Is.EqualTo("active"));
    }

    [Test]
    public async Task Stripes_429s_are_waited_out_and_never_count_as_failures()
    {
        // Events in another API version are read from Stripe, faster than the stand-in allows: some reads are
        // refused with 429 and must be tried again.
        App.Stripe.RateLimits.EndpointPerSecond = 10;
        var events = Renewals(60, 1, 0, out _, apiVersion: "2025-03-31.basil");
        var refused = App.Stripe.RateLimits.Refused;

        await DeliverAsync(events);
        await Webhooks.WaitUntilProcessedAsync(Admin, TimeSpan.FromSeconds(60));

        var failed = (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/webhook-events?status=failed&limit=500"))!;
        var processed = (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/webhook-events?status=processed&limit=500"))!;
        Assert.That(App.Stripe.RateLimits.Refused, Is.GreaterThan(refused), "the stand-in did refuse some reads");
        Assert.That(failed, Is.Empty);
        Assert.That(processed.Select(e => e!["attempts"]!.GetValue<int>()), Is.All.EqualTo(1), "a 429 spends no attempt");
    }

    [Test]
    public async Task Lanes_run_in_parallel_yet_each_subscriptions_events_in_the_order_received_and_every_permutation_ends_in_stripes_state()
    {
        int[][] permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        var lanes = new List<(string SubscriptionId, List<JsonObject> Events)>();
        foreach (var order in permutations)
        {
            var (_, subscriptionId) = App.Stripe.SeedSubscription("starter_monthly", $"lane-{Guid.NewGuid():N}"[..20]);
            var state = App.Stripe.Subscription(subscriptionId)!;
            var events = new[] { "customer.subscription.created", "customer.subscription.updated", "invoice.created" }
                .Select(type => Webhooks.Event(type, type.StartsWith("invoice", StringComparison.Ordinal) ? Webhooks.Invoice(state, "draft") : state.DeepClone().AsObject()))
                .ToList();
            lanes.Add((subscriptionId, [.. order.Select(i => events[i])]));
        }

        // Stripe's state moves on after the events were made, and Stripe says so in an event created later but
        // delivered first: each account must end in it, whatever the order.
        foreach (var (subscriptionId, events) in lanes.Where((_, i) => i % 2 == 0))
        {
            App.Stripe.SetSubscriptionStatus(subscriptionId, "past_due");
            events.Insert(0, Webhooks.Event("customer.subscription.updated", App.Stripe.Subscription(subscriptionId)!, created: DateTimeOffset.UtcNow.AddSeconds(2)));
        }

        using (var client = App.Anonymous())
        {
            // One subscription's events arrive one after the other; the subscriptions arrive all at once.
            await Parallel.ForEachAsync(lanes, async (lane, _) =>
            {
                foreach (var evt in lane.Events)
                {
                    using var response = await Webhooks.PostAsync(client, evt);
                }
            });
        }

        await Webhooks.WaitUntilProcessedAsync(Admin);
        var processed = (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/webhook-events?status=processed&limit=500"))!
            .ToDictionary(e => e!["id"]!.GetValue<string>(), e => (Received: e!["received_at"]!.GetValue<DateTimeOffset>(), Processed: e["processed_at"]!.GetValue<DateTimeOffset>()));
        foreach (var (subscriptionId, events) in lanes)
        {
            var times = events.Select(e => processed[e["id"]!.GetValue<string>()]).OrderBy(t => t.Received).ToList();
            Assert.That(times.Select(t => t.Processed), Is.Ordered, $"the events of {subscriptionId} were processed in the order received");
            var userId = App.Stripe.Subscription(subscriptionId)!["metadata"]!["keycloak_user_id"]!.GetValue<string>();
            var account = (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{userId}"))!;
            Assert.That(account["subscription"]!["status"]!.GetValue<string>(), Is.EqualTo(App.Stripe.Subscription(subscriptionId)!["status"]!.GetValue<string>()));
        }
    }
}
