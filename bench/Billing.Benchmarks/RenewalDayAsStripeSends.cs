using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Billing.Sandbox.Stripe;

namespace Billing.Benchmarks;

/// <summary>
/// Renewal day as Stripe sends it: at the renewal, <c>invoice.created</c> (a draft) and
/// <c>customer.subscription.updated</c> (the new period); an hour later by their <c>created</c> stamps,
/// <c>invoice.finalized</c>, <c>invoice.paid</c>, <c>invoice.payment_succeeded</c> and a second
/// <c>customer.subscription.updated</c>. A fifth delivered twice, all shuffled, one in twenty delivered again after
/// the rest; one subscription in fifty gets two different updates created in the same second (the only case the
/// events cannot settle). The Stripe stand-in answers after its latency and allows 25 requests a second. Measured:
/// Stripe reads per subscription, failures, the drain after the last delivery, and whether every account ends in
/// Stripe's final state. Renewal day starts from the day before: every account exists, linked to its customer and
/// subscribed (its <c>customer.subscription.created</c> processed, untimed), and every user is in Keycloak.
/// </summary>
internal static class RenewalDayAsStripeSends
{
    public static async Task<string> RunAsync(string database, string connection, int subscriptions, TimeSpan latency, double budget)
    {
        await using var stage = await RenewalStage.StartAsync(connection, budget);
        var (stripe, keycloak, api) = (stage.Stripe, stage.Keycloak, stage.Api);
        const string Secret = RenewalStage.Secret;

        var renewedAt = DateTimeOffset.UtcNow.AddHours(-2);
        var paidAt = renewedAt.AddHours(1);
        var random = new Random(2026);
        var events = new List<string>(subscriptions * 7);
        var before = new List<string>(subscriptions);
        var users = new List<(string UserId, string SubscriptionId)>(subscriptions);
        var ties = 0;
        for (var i = 0; i < subscriptions; i++)
        {
            var userId = Guid.NewGuid().ToString();
            keycloak.AddUser($"renew-{i}", $"renew-{i}@example.com", id: userId);
            var (_, subscriptionId) = stripe.SeedSubscription("starter_monthly", userId);
            before.Add(Event("customer.subscription.created", stripe.Subscription(subscriptionId)!, renewedAt.AddMonths(-1)));
            stripe.RenewNow(subscriptionId);
            var final = stripe.Subscription(subscriptionId)!;
            users.Add((userId, subscriptionId));
            var invoiceId = $"in_renew_{Guid.NewGuid():N}"[..24];
            events.Add(Event("invoice.created", Invoice(final, invoiceId, "draft", renewedAt), renewedAt));
            events.Add(Event("customer.subscription.updated", final, renewedAt));
            events.Add(Event("invoice.finalized", Invoice(final, invoiceId, "open", renewedAt), paidAt));
            events.Add(Event("invoice.paid", Invoice(final, invoiceId, "paid", renewedAt), paidAt));
            events.Add(Event("invoice.payment_succeeded", Invoice(final, invoiceId, "paid", renewedAt), paidAt));
            events.Add(Event("customer.subscription.updated", final, paidAt));
            if (random.Next(50) == 0)
            {
                // Another update in the same second, saying something else: Stripe holds the final state.
                var other = final.DeepClone().AsObject();
                other["cancel_at_period_end"] = true;
                events.Add(Event("customer.subscription.updated", other, paidAt));
                ties++;
            }
        }

        events.AddRange(events.OrderBy(_ => random.Next()).Take(events.Count / 5).ToList());
        events = [.. events.OrderBy(_ => random.Next())];
        var late = events.OrderBy(_ => random.Next()).Take(events.Count / 20).ToList();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = api.BaseUrl };
        using var admin = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32 }) { BaseAddress = api.BaseUrl };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", keycloak.IssueToken("bench-admin", "admin@example.com", ["billing-admin"], TimeSpan.FromHours(2)));
        var refused = 0;
        async Task DeliverAsync(IEnumerable<string> batch) => await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (evt, cancellation) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/billing/webhooks/stripe") { Content = new StringContent(evt, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Stripe-Signature", StripeSignature.Header(evt, Secret));
            using var response = await http.SendAsync(request, cancellation);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref refused);
            }
        });

        async Task DrainAsync(Stopwatch since)
        {
            while ((await admin.GetFromJsonAsync<JsonArray>("api/v1/billing/admin/webhook-events?status=pending&limit=1"))!.Count > 0 && since.Elapsed < TimeSpan.FromHours(1))
            {
                await Task.Delay(200);
            }
        }

        // The day before: every account subscribed, its user's attributes in Keycloak (not timed).
        Console.WriteLine($"{database}: subscribing {subscriptions} accounts the day before…");
        var setup = Stopwatch.StartNew();
        await DeliverAsync(before);
        await DrainAsync(setup);
        while (keycloak.Users.Count(u => u.Attributes.ContainsKey("subscription_tier")) < subscriptions && setup.Elapsed < TimeSpan.FromMinutes(30))
        {
            await Task.Delay(500);
        }

        stripe.Latency = latency;
        stripe.RateLimits.EndpointPerSecond = 25;
        stripe.RateLimits.GlobalPerSecond = 25;
        var readsBefore = stripe.Requests.Count("GET", "/v1/subscriptions/");
        Console.WriteLine($"{database}: delivering {events.Count + late.Count} events for {subscriptions} renewals ({ties} with two updates in one second)…");
        var clock = Stopwatch.StartNew();
        await DeliverAsync(events);
        await DeliverAsync(late);
        var delivered = clock.Elapsed;
        await DrainAsync(clock);
        var drained = clock.Elapsed - delivered;
        var reads = stripe.Requests.Count("GET", "/v1/subscriptions/") - readsBefore;
        var failed = (await admin.GetFromJsonAsync<JsonArray>("api/v1/billing/admin/webhook-events?status=failed&limit=500"))!.Count;
        var wrong = 0;
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (user, cancellation) =>
        {
            var held = (await admin.GetFromJsonAsync<JsonObject>($"api/v1/billing/admin/accounts/{user.UserId}", cancellation))!["subscription"]!;
            var stripeHolds = stripe.Subscription(user.SubscriptionId)!;
            var periodEnd = DateTimeOffset.FromUnixTimeSeconds(stripeHolds["items"]!["data"]![0]!["current_period_end"]!.GetValue<long>());
            if (held["status"]!.GetValue<string>() != stripeHolds["status"]!.GetValue<string>() ||
                held["cancel_at_period_end"]!.GetValue<bool>() != stripeHolds["cancel_at_period_end"]!.GetValue<bool>() ||
                held["current_period_end"]!.GetValue<DateTimeOffset>() != periodEnd)
            {
                Interlocked.Increment(ref wrong);
            }
        });

        return string.Create(CultureInfo.InvariantCulture, $"""
            | {database} | {subscriptions:N0} | {events.Count + late.Count:N0} | {delivered.TotalSeconds:F0} s | {reads:N0} ({(double)reads / subscriptions:F3} per subscription) | {stripe.RateLimits.Refused} | {failed + refused} | {drained.TotalSeconds:F1} s | {subscriptions - wrong:N0} of {subscriptions:N0} |
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

    private static JsonObject Invoice(JsonObject subscription, string id, string status, DateTimeOffset created) => new()
    {
        ["id"] = id,
        ["object"] = "invoice",
        ["customer"] = subscription["customer"]!.GetValue<string>(),
        ["status"] = status,
        ["currency"] = "usd",
        ["total"] = 1900,
        ["amount_paid"] = status == "paid" ? 1900 : 0,
        ["amount_due"] = 1900,
        ["created"] = created.ToUnixTimeSeconds(),
        ["billing_reason"] = "subscription_cycle",
        ["parent"] = new JsonObject
        {
            ["type"] = "subscription_details",
            ["subscription_details"] = new JsonObject { ["subscription"] = subscription["id"]!.GetValue<string>(), ["metadata"] = subscription["metadata"]!.DeepClone() },
        },
    };
}
