using System.Globalization;
using System.Text;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Benchmarks;
using Billing.Sandbox.Keycloak;
using Billing.Sandbox.Lago;
using Billing.Sandbox.Postgres;
using Billing.Sandbox.Stripe;
using Stripe;

// dotnet run -c Release --project bench/Billing.Benchmarks -- [--seconds 10] [--sqlite-only] [--usage-only] [--rounds 3] [--api-env KEY=VALUE]
//   or: … -- --renewal-day [--subscriptions 10000] [--stripe-latency-ms 150] [--sqlite-only | --postgres-only]
//   or: … -- --renewal-day-as-stripe-sends [--subscriptions 10000] [--stripe-latency-ms 150] [--sqlite-only | --postgres-only]
var seconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(int.Parse).DefaultIfEmpty(10).First();
var sqliteOnly = args.Contains("--sqlite-only");
var usageOnly = args.Contains("--usage-only");
var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(int.Parse).DefaultIfEmpty(3).First();
var postgresOnly = args.Contains("--postgres-only");
var duration = TimeSpan.FromSeconds(seconds);

// A service runs for days: the runs measure it after its code is compiled at full speed (tiered JIT), not its first seconds.
var warmUp = TimeSpan.FromSeconds(args.SkipWhile(a => a != "--warm-up-seconds").Skip(1).Select(int.Parse).DefaultIfEmpty(40).First());
const string Secret = "whsec_bench";

// --api-env KEY=VALUE (repeatable): a setting or runtime knob for the API process alone, to compare one change at a time.
var apiSettings = args.Select((a, i) => (a, i)).Where(x => x.a == "--api-env" && x.i + 1 < args.Length)
    .Select(x => args[x.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : string.Empty);

Console.WriteLine($"Building the API (Release)… machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
await ApiProcess.BuildAsync();
await using var postgres = sqliteOnly ? null : await PostgresServer.StartAsync(durable: true);

// Both renewal-day runs: each database in turn, one table row each.
if (args.Contains("--renewal-day-as-stripe-sends") || args.Contains("--renewal-day"))
{
    var asStripeSends = args.Contains("--renewal-day-as-stripe-sends");
    var renewals = args.SkipWhile(a => a != "--subscriptions").Skip(1).Select(int.Parse).DefaultIfEmpty(10_000).First();
    var latency = TimeSpan.FromMilliseconds(args.SkipWhile(a => a != "--stripe-latency-ms").Skip(1).Select(int.Parse).DefaultIfEmpty(150).First());
    Func<string, string, Task<string>> run = asStripeSends
        ? (name, connection) => RenewalDayAsStripeSends.RunAsync(name, connection, renewals, latency, budget: 20)
        : (name, connection) => RenewalDay.RunAsync(name, connection, renewals, latency, budget: 20);
    var rows = new StringBuilder();
    rows.AppendLine(asStripeSends
        ? "| database | subscriptions | events delivered | delivery took | Stripe reads | 429s | failed | drained after the last delivery | accounts in Stripe's final state |"
        : "| database | subscriptions | events delivered | delivery took | Stripe reads | 429s | failed | drained after | subscriptions ÷ budget |");
    rows.AppendLine("|---|---|---|---|---|---|---|---|---|");
    if (!postgresOnly)
    {
        rows.AppendLine(await run("SQLite", $"Data Source={Path.Combine(Path.GetTempPath(), $"billing-renewal-{Guid.NewGuid():N}.db")}"));
    }

    if (postgres is not null)
    {
        rows.AppendLine(await run("PostgreSQL", ProductionPool(await postgres.CreateDatabaseAsync("renewal"))));
    }

    Console.WriteLine($"## {(asStripeSends ? "Renewal day as Stripe sends it" : "Renewal day")} ({renewals} subscriptions, Stripe stand-in at {latency.TotalMilliseconds:F0} ms and 25 requests/s, budget 20/s)");
    Console.WriteLine(rows.ToString());
    return;
}

var report = new StringBuilder();
foreach (var database in new[] { "SQLite", "PostgreSQL" })
{
    if (database == "SQLite" && postgresOnly)
    {
        continue;
    }

    if (database == "PostgreSQL" && postgres is null)
    {
        Console.WriteLine($"Skipping PostgreSQL: {PostgresServer.Unavailable ?? "--sqlite-only"}");
        continue;
    }

    await using var stripe = new StripeStandIn();
    await using var keycloak = new KeycloakStandIn();
    await using var lago = new LagoStandIn();
    await stripe.StartAsync();
    await keycloak.StartAsync();
    await lago.StartAsync();
    keycloak.AddClient("billing-service", "secret", KeycloakStandIn.ManageUsersRole);

    // A realm upgraded from before Keycloak 24 keeps unmanaged attributes: the attributes are stored without a declaration.
    keycloak.Profile.SetUnmanagedAttributePolicy("ENABLED");
    var sdk = new StripeClient(apiKey: stripe.ApiKey, apiBase: stripe.BaseUrl.AbsoluteUri.TrimEnd('/'));
    foreach (var (tier, amount) in new[] { ("starter", 1900L), ("professional", 4900L) })
    {
        await new ProductService(sdk).CreateAsync(new ProductCreateOptions { Id = $"billing_{tier}", Name = tier });
        await new PriceService(sdk).CreateAsync(new PriceCreateOptions { Product = $"billing_{tier}", UnitAmount = amount, Currency = "usd", LookupKey = $"{tier}_monthly", Recurring = new PriceRecurringOptions { Interval = "month" } });
    }

    var connection = database == "SQLite"
        ? $"Data Source={Path.Combine(Path.GetTempPath(), $"billing-bench-{Guid.NewGuid():N}.db")}"
        : ProductionPool(await postgres!.CreateDatabaseAsync("bench"));
    var settings = ApiProcess.StandInSettings(connection, stripe, keycloak, lago, Secret);
    settings["Billing:Catalog:Tiers:professional:Prices:monthly"] = "4900";
    foreach (var setting in apiSettings)
    {
        settings[setting.Key] = setting.Value;
    }

    await using var api = await ApiProcess.StartAsync(settings);
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = api.BaseUrl };

    // Subscriptions the events refer to; each user exists in Keycloak, so the events also drive the outbox.
    var subscriptions = Enumerable.Range(0, 200).Select(i =>
    {
        var user = keycloak.AddUser($"bench-{i}", $"bench-{i}@example.com", id: Guid.NewGuid().ToString(), attributes: new() { ["department"] = ["load"] });
        return (User: user, Subscription: stripe.SeedSubscription("starter_monthly", user.Id).SubscriptionId);
    }).ToList();
    var next = 0;

    // The load generator shares the two cores with the API and the database: each subscription's JSON is read from
    // the stand-in once (a deep clone under the stand-in's lock and a serialization per event were most of the
    // sender's CPU) and each event is written around it by concatenation, as pgbench, the yardstick, spends almost
    // nothing on its side.
    var subscriptionJson = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);

    async Task<bool> PostEventAsync(HttpClient client, string type, string subscriptionId)
    {
        var data = subscriptionJson.GetOrAdd(subscriptionId, id => stripe.Subscription(id)!.ToJsonString());
        var evt = $$$"""{"id":"evt_bench_{{{Guid.NewGuid():N}}}","object":"event","api_version":"{{{StripeStandIn.ApiVersion}}}","created":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"type":"{{{type}}}","livemode":false,"data":{"object":{{{data}}}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/billing/webhooks/stripe") { Content = new StringContent(evt, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", StripeSignature.Header(evt, Secret));
        using var response = await client.SendAsync(request);
        return response.IsSuccessStatusCode;
    }

    Task<bool> WebhookAsync(HttpClient client) =>
        PostEventAsync(client, "customer.subscription.updated", subscriptions[Interlocked.Increment(ref next) % subscriptions.Count].Subscription);

    async Task<bool> TrivialAsync(HttpClient client)
    {
        using var response = await client.GetAsync("health/live");
        return response.IsSuccessStatusCode;
    }

    using var admin = new HttpClient { BaseAddress = api.BaseUrl };
    admin.DefaultRequestHeaders.Authorization = new("Bearer", keycloak.IssueToken("bench-admin", "admin@example.com", ["billing-admin"], TimeSpan.FromHours(1)));

    // Waits until the background processing has caught up with what the runs stored.
    async Task<double> DrainAsync()
    {
        var started = DateTimeOffset.UtcNow;
        while ((await admin.GetFromJsonAsync<JsonArray>("api/v1/billing/admin/webhook-events?status=pending&limit=1"))!.Count > 0 && DateTimeOffset.UtcNow - started < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(250);
        }

        return (DateTimeOffset.UtcNow - started).TotalSeconds;
    }

    var results = new List<LoadResult>();
    var acceptance = new List<(double Accepted, double Store, double BacklogSeconds)>();
    var lags = new List<double>();
    var syncUsers = new List<(KeycloakUser User, string Subscription)>();
    var syncs = 0;
    var tokensBefore = 0;
    var puts = (IReadOnlyList<Billing.Sandbox.Common.RecordedRequest>)[];
    if (usageOnly)
    {
        // Only the accounts the usage events need: one event per subscription, processed before the run.
        foreach (var (_, subscription) in subscriptions)
        {
            await PostEventAsync(http, "customer.subscription.created", subscription);
        }

        await DrainAsync();
    }
    else
    {
        Console.WriteLine($"{database}: warming up…");
        await Load.ClosedLoopAsync("warm-up", 8, warmUp, WebhookAsync, http);
        await Load.ClosedLoopAsync("warm-up", 8, warmUp / 4, TrivialAsync, http);

        // The warm-up's backlog is processed before the steady run, which measures the normal state: processing keeps up.
        await DrainAsync();

        // The steady rate first, while processing keeps up (the normal state); then saturation, which leaves a backlog.
        results.Add(await Load.FixedRateAsync($"{database}: webhook at a steady 200 events/s", 200, duration, WebhookAsync, http));
        results.Add(await Load.FixedRateAsync($"{database}: GET /health/live at a steady 200/s (ceiling)", 200, duration, TrivialAsync, http));
        await DrainAsync();
        // Saturation, then the store alone on the same server or disk, in rounds: on two shared cores one burst's
        // rate and one pgbench run each move by half from run to run, so each round's ratio is reported, and their median.
        for (var round = 1; round <= rounds; round++)
        {
            var burst = await Load.ClosedLoopAsync($"{database}: webhook, 32 concurrent senders{(rounds > 1 ? $" (round {round})" : string.Empty)}", 32, duration, WebhookAsync, http);
            results.Add(burst);
            var drained = await DrainAsync();
            Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {database}: the store's single-row commit rate…");
            var store = database == "SQLite" ? await StoreCommitRate.SqliteAsync(duration) : await StoreCommitRate.PostgresAsync(connection, duration);
            acceptance.Add((burst.PerSecond, store, drained));
        }

        results.Add(await Load.ClosedLoopAsync($"{database}: GET /health/live (ceiling), 32 concurrent", 32, duration, TrivialAsync, http));

        // Webhook accepted → attributes written in Keycloak, at a steady rate, one fresh subscription per event.

        syncUsers = Enumerable.Range(0, 20 * seconds).Select(i =>
        {
            var user = keycloak.AddUser($"sync-{i}", $"sync-{i}@example.com", id: Guid.NewGuid().ToString());
            return (User: user, Subscription: stripe.SeedSubscription("professional_monthly", user.Id).SubscriptionId);
        }).ToList();
        var acceptedAt = new System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset>();
        tokensBefore = keycloak.TokensIssued;
        var putsBefore = keycloak.Requests.Count("PUT", "/admin/");
        var index = -1;
        await Load.FixedRateAsync("sync", 20, duration, async client =>
        {
            var target = syncUsers[Interlocked.Increment(ref index)];
            var ok = await PostEventAsync(client, "customer.subscription.created", target.Subscription);
            acceptedAt[target.User.Id] = DateTimeOffset.UtcNow;
            return ok;
        }, http);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (syncUsers.Any(u => keycloak.FindUser(u.User.Id)!.Attributes.GetValueOrDefault("subscription_tier")?.FirstOrDefault() != "professional") && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        puts = keycloak.Requests.Matching("PUT", "/admin/");
        lags = syncUsers
            .Select(u => (Accepted: acceptedAt.GetValueOrDefault(u.User.Id), Put: puts.FirstOrDefault(p => p.Path.EndsWith(u.User.Id, StringComparison.Ordinal))))
            .Where(x => x.Put is not null && x.Accepted != default)
            .Select(x => Math.Max(0, (x.Put!.At - x.Accepted).TotalMilliseconds))
            .OrderBy(x => x)
            .ToList();
        syncs = puts.Count - putsBefore;
    }

    // Usage: batches of 100 events from a metering service, each event for one of the 200 subscribed users.
    using var meter = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = api.BaseUrl };
    meter.DefaultRequestHeaders.Authorization = new("Bearer", keycloak.IssueToken("metering-service", "metering@example.com", ["billing-usage-writer"], TimeSpan.FromHours(1)));
    var usageAccepted = 0L;
    var usageSequence = 0L;
    async Task<bool> UsageBatchAsync(HttpClient client)
    {
        var events = new JsonArray();
        for (var i = 0; i < 100; i++)
        {
            var n = Interlocked.Increment(ref usageSequence);
            events.Add(new JsonObject
            {
                ["transaction_id"] = $"{database}-usage-{n}",
                ["user_id"] = subscriptions[(int)(n % subscriptions.Count)].User.Id,
                ["code"] = "api_calls",
                ["properties"] = new JsonObject { ["calls"] = 1 },
            });
        }

        using var response = await client.PostAsJsonAsync("api/v1/billing/usage", new JsonObject { ["events"] = events });
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        Interlocked.Add(ref usageAccepted, (await response.Content.ReadFromJsonAsync<JsonObject>())!["accepted"]!.GetValue<long>());
        return true;
    }

    await Load.ClosedLoopAsync("warm-up", 4, TimeSpan.FromSeconds(2), UsageBatchAsync, meter);
    for (var wait = 0; wait < 600 && lago.Events.Count < Interlocked.Read(ref usageAccepted); wait++)
    {
        await Task.Delay(100);
    }

    var lagoBefore = lago.Events.Count;
    var acceptedBefore = Interlocked.Read(ref usageAccepted);
    var usageRun = await Load.ClosedLoopAsync($"{database}: usage, batches of 100 events, 16 concurrent senders", 16, duration, UsageBatchAsync, meter);
    var usageEvents = Interlocked.Read(ref usageAccepted) - acceptedBefore;
    var usageEnded = DateTimeOffset.UtcNow;
    while (lago.Events.Count < lagoBefore + usageEvents && DateTimeOffset.UtcNow - usageEnded < TimeSpan.FromMinutes(5))
    {
        await Task.Delay(50);
    }

    var usageDrained = (DateTimeOffset.UtcNow - usageEnded).TotalSeconds;
    var usageDelivered = lago.Events.Count - lagoBefore;

    var tokens = keycloak.TokensIssued;
    report.AppendLine(CultureInfo.InvariantCulture, $"### {database}");
    report.AppendLine();
    var usageLine = string.Create(CultureInfo.InvariantCulture, $"Usage events (`POST /api/v1/billing/usage`, 100 per request, 16 concurrent senders, {seconds} s): {usageEvents} accepted, **{usageEvents / usageRun.Seconds:F0} events/s** (p50 {usageRun.P50Ms:F1} ms, p99 {usageRun.P99Ms:F1} ms per batch); {usageDelivered} of them in the Lago stand-in {usageDrained:F1} s after the last was accepted ({(usageDelivered == usageEvents ? "every accepted event delivered, once" : "NOT all delivered")}; {lago.EventBatchesReceived} batch requests to Lago in the whole run).");
    if (usageOnly)
    {
        report.AppendLine(usageLine);
    }
    else
    {
        report.AppendLine("| run | requests | accepted | accepted/s | p50 ms | p99 ms | max ms |");
        report.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var result in results)
        {
            report.AppendLine(result.Row());
        }

        report.AppendLine();
        report.AppendLine(usageLine);
        report.AppendLine();
        var shares = acceptance.Select(a => a.Accepted / a.Store).Order().ToList();
        report.AppendLine(CultureInfo.InvariantCulture, $"The store alone, right after each burst, on the same {(database == "SQLite" ? "disk" : "server")}: {StoreCommitRate.Clients} clients committing one durable row of a receipt's size each ({(database == "SQLite" ? "in process, the service's pragmas" : "pgbench")}):");
        report.AppendLine();
        report.AppendLine("| round | webhooks accepted/s at 32 senders | store commits/s | accepted ÷ store | backlog processed after the burst |");
        report.AppendLine("|---|---|---|---|---|");
        foreach (var (a, i) in acceptance.Select((a, i) => (a, i)))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {i + 1} | {a.Accepted:F0} | {a.Store:F0} | {a.Accepted / a.Store:F2} | {a.BacklogSeconds:F0} s |");
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Accepted ÷ store, median of {shares.Count}: **{Load.Percentile(shares, 0.5):F2}** (lowest {shares[0]:F2}; target ≥ 0.50).");
        report.AppendLine(CultureInfo.InvariantCulture, $"Webhook accepted → Keycloak attributes written, 20 events/s for {seconds} s: {lags.Count}/{syncUsers.Count} users synced, p50 {Load.Percentile(lags, 0.5):F0} ms, p99 {Load.Percentile(lags, 0.99):F0} ms.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Keycloak token requests: {tokens} for {puts.Count} attribute writes over the whole run ({(puts.Count == 0 ? 0 : tokens * 1000.0 / puts.Count):F2} per 1,000 syncs; {tokens - tokensBefore} during the sync run's {syncs} writes).");
    }

    report.AppendLine();
    Console.WriteLine(report.ToString());
}

Console.WriteLine("## Results (paste into BENCHMARKS.md)");
Console.WriteLine(report.ToString());

// The sandbox's databases keep small pools that close idle connections within seconds, so a test suite never holds
// many; a deployment keeps Npgsql's defaults, and so does the benchmark (otherwise it measures backends starting).
static string ProductionPool(string connectionString) =>
    new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { ConnectionIdleLifetime = 300, ConnectionPruningInterval = 10, MaxPoolSize = 100 }.ConnectionString;
