using System.Net;
using Billing.Api.Tests.Support;

namespace Billing.Api.Tests;

/// <summary>
/// The Stripe budget is one pace for every instance on one PostgreSQL database: three instances reading at once never
/// go over it in any second, and one instance alone gets all of it. (Events in another API version are read from
/// Stripe, so each makes one request.)
/// </summary>
public sealed class SharedStripePaceTests
{
    private const int Budget = 8;
    private const int Reads = 40;
    private const string OtherApiVersion = "2025-03-31.basil";

    private static async Task<(List<DateTimeOffset> Reads, BillingApp App)> ReadManyAsync(int instances)
    {
        var app = await BillingApp.StartAsync(Database.Postgres, s =>
        {
            s["Billing:Stripe:RequestsPerSecond"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture);
            s["Billing:Stripe:UserReserve"] = "0";
            s["Billing:Webhooks:PollInterval"] = "00:00:00.010";
        });
        await app.PublishCatalogAsync();
        var clients = new List<HttpClient> { app.Anonymous() };
        for (var i = 1; i < instances; i++)
        {
            clients.Add(app.AddHost().CreateClient());
        }

        var subscriptions = Enumerable.Range(0, Reads).Select(i => app.Stripe.SeedSubscription("starter_monthly", $"pace-{instances}-{i}").SubscriptionId).ToList();
        using var admin = app.Admin();

        // Each instance reads once first: a cold instance's first request (connections, JIT) leaves on its slot but
        // arrives late, which says nothing about the pace.
        foreach (var (client, i) in clients.Select((c, i) => (c, i)))
        {
            var (_, warmUp) = app.Stripe.SeedSubscription("starter_monthly", $"pace-warm-{instances}-{i}");
            using var response = await Webhooks.PostAsync(client, Webhooks.Event("customer.subscription.created", app.Stripe.Subscription(warmUp)!, apiVersion: OtherApiVersion));
            await Webhooks.WaitUntilProcessedAsync(admin, TimeSpan.FromSeconds(30));
        }

        app.Stripe.Requests.Clear();
        await Parallel.ForEachAsync(subscriptions.Select((id, i) => (id, i)), async (s, _) =>
        {
            using var response = await Webhooks.PostAsync(clients[s.i % clients.Count], Webhooks.Event("customer.subscription.created", app.Stripe.Subscription(s.id)!, apiVersion: OtherApiVersion));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
        await Webhooks.WaitUntilProcessedAsync(admin, TimeSpan.FromSeconds(60));
        foreach (var client in clients)
        {
            client.Dispose();
        }

        var reads = app.Stripe.Requests.All.Where(r => r.Method == "GET" && r.Path.StartsWith("/v1/subscriptions/", StringComparison.Ordinal)).Select(r => r.At).Order().ToList();
        return (reads, app);
    }

    [Test]
    public async Task Three_instances_on_one_PostgreSQL_never_exceed_the_budget_in_any_second()
    {
        var (reads, app) = await ReadManyAsync(instances: 3);
        await using (app)
        {
            Assert.That(reads, Has.Count.EqualTo(Reads));

            // Slots are given at the budget exactly (Infrastructure.Tests.SharedStripePaceTests); here, where Stripe
            // sees them, a request may leave on its slot and arrive late behind a busy thread pool, so a window of one
            // second may see two more. Three instances each pacing alone would make three times as many.
            var busiest = reads.Max(at => reads.Count(other => other >= at && other < at.AddSeconds(1)));
            Assert.That(busiest, Is.LessThanOrEqualTo(Budget + 2), $"{busiest} reads in one second: " + string.Join(", ", reads.Select(r => r.ToString("ss.fff", System.Globalization.CultureInfo.InvariantCulture))));
            Assert.That((reads[^1] - reads[0]).TotalSeconds, Is.GreaterThanOrEqualTo((Reads - 1.0) / Budget * 0.9), "the reads were spread at the budget's pace");
        }
    }

    [Test]
    public async Task One_instance_alone_gets_the_whole_budget()
    {
        var (reads, app) = await ReadManyAsync(instances: 1);
        await using (app)
        {
            var rate = (reads.Count - 1) / (reads[^1] - reads[0]).TotalSeconds;

            Assert.That(reads, Has.Count.EqualTo(Reads));
            Assert.That(rate, Is.GreaterThanOrEqualTo(Budget * 0.75).And.LessThanOrEqualTo(Budget * 1.1), $"{rate:F1} reads/s for a budget of {Budget}/s");
        }
    }
}
