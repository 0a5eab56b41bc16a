using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Billing.Sandbox.Stripe;

namespace Billing.Benchmarks;

/// <summary>
/// Renewal day: every subscription renews at once and Stripe delivers four events for each (shuffled, a fifth of
/// them twice) while it answers reads slowly (the stand-in's latency) and allows 25 requests a second. The API
/// paces itself at its Stripe budget; the run measures Stripe reads per distinct subscription, 429s, failures and
/// how long the backlog takes to drain against distinct subscriptions ÷ budget.
/// </summary>
internal static class RenewalDay
{
    public static async Task<string> RunAsync(string database, string connection, int subscriptions, TimeSpan latency, double budget)
    {
        await using var stage = await RenewalStage.StartAsync(connection, budget);
        var (stripe, keycloak, api) = (stage.Stripe, stage.Keycloak, stage.Api);
        const string Secret = RenewalStage.Secret;

        // Stripe made the events when it renewed, then delivers them; a sandbox account allows 25 requests a second.
        var renewedAt = DateTimeOffset.UtcNow.AddSeconds(-10);
        var events = new List<string>(subscriptions * 5);
        for (var i = 0; i < subscriptions; i++)
        {
            var (_, subscriptionId) = stripe.SeedSubscription("starter_monthly", $"renew-{i}");
            var state = stripe.Subscription(subscriptionId)!;
            foreach (var type in new[] { "customer.subscription.updated", "invoice.created", "invoice.paid", "customer.subscription.updated" })
            {
                var dataObject = type.StartsWith("invoice", StringComparison.Ordinal) ? Invoice(state) : state;
                events.Add(Event(type, dataObject, renewedAt));
            }
        }

        var random = new Random(2026);
        events.AddRange(events.OrderBy(_ => random.Next()).Take(events.Count / 5).ToList());
        events = [.. events.OrderBy(_ => random.Next())];
        stripe.Latency = latency;
        stripe.RateLimits.EndpointPerSecond = 25;
        stripe.RateLimits.GlobalPerSecond = 25;
        var readsBefore = stripe.Requests.Count("GET", "/v1/subscriptions/");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = api.BaseUrl };
        using var admin = new HttpClient { BaseAddress = api.BaseUrl };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", keycloak.IssueToken("bench-admin", "admin@example.com", ["billing-admin"], TimeSpan.FromHours(2)));
        Console.WriteLine($"{database}: delivering {events.Count} events for {subscriptions} renewals…");
        var clock = Stopwatch.StartNew();
        var refusedDeliveries = 0;
        await Parallel.ForEachAsync(events, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (evt, _) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/billing/webhooks/stripe") { Content = new StringContent(evt, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Stripe-Signature", StripeSignature.Header(evt, Secret));
            using var response = await http.SendAsync(request, _);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref refusedDeliveries);
            }
        });
        var delivered = clock.Elapsed;
        while ((await admin.GetFromJsonAsync<JsonArray>("api/v1/billing/admin/webhook-events?status=pending&limit=1"))!.Count > 0 && clock.Elapsed < TimeSpan.FromHours(1))
        {
            await Task.Delay(500);
        }

        var drained = clock.Elapsed;
        var reads = stripe.Requests.Count("GET", "/v1/subscriptions/") - readsBefore;
        var failed = (await admin.GetFromJsonAsync<JsonArray>("api/v1/billing/admin/webhook-events?status=failed&limit=500"))!.Count;
        var ideal = subscriptions / budget;
        return string.Create(CultureInfo.InvariantCulture, $"""
            | {database} | {subscriptions:N0} | {events.Count:N0} | {delivered.TotalSeconds:F0} s | {reads:N0} ({(double)reads / subscriptions:F3} per subscription) | {stripe.RateLimits.Refused} | {failed + refusedDeliveries} | {drained.TotalSeconds:F0} s | {ideal:F0} s ({(drained.TotalSeconds / ideal - 1) * 100:+0.0;-0.0} %) |
            """);
    }

    private static string Event(string type, JsonObject dataObject, DateTimeOffset created) => new JsonObject
    {
        ["id"] = $"evt_renew_{Guid.NewGuid():N}",
        ["object"] = "event",
        ["api_version"] = StripeStandIn.ApiVersion,
        ["created"] = created.ToUnixTimeSeconds(),
        ["type"] = type,
        ["livemode"] = false,
        ["data"] = new JsonObject { ["object"] = dataObject.DeepClone() },
    }.ToJsonString();

    private static JsonObject Invoice(JsonObject subscription) => new()
    {
        ["id"] = $"in_renew_{Guid.NewGuid():N}"[..24],
        ["object"] = "invoice",
        ["customer"] = subscription["customer"]!.GetValue<string>(),
        ["status"] = "paid",
        ["currency"] = "usd",
        ["total"] = 1900,
        ["amount_paid"] = 1900,
        ["amount_due"] = 1900,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["billing_reason"] = "subscription_cycle",
        ["parent"] = new JsonObject
        {
            ["type"] = "subscription_details",
            ["subscription_details"] = new JsonObject { ["subscription"] = subscription["id"]!.GetValue<string>(), ["metadata"] = subscription["metadata"]!.DeepClone() },
        },
    };
}
