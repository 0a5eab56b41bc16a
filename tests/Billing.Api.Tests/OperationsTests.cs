using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Application.Common;
using Billing.Sandbox.Common;
using Billing.Sandbox.Stripe;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Billing.Api.Tests;

/// <summary>What the people running the service rely on: parked events they can replay, metrics, and logs without secrets.</summary>
public sealed class OperationsTests
{
    [Test]
    public async Task An_event_that_keeps_failing_past_the_retry_horizon_is_parked_visible_and_replayable()
    {
        await using var app = await BillingApp.StartAsync(configure: s =>
        {
            s["Billing:Webhooks:RetryHorizon"] = "00:00:00.300";
            s["Billing:Webhooks:BaseDelay"] = "00:00:00.020";
        });
        await app.PublishCatalogAsync();
        using var admin = app.Admin();
        var (_, subscriptionId) = app.Stripe.SeedSubscription("starter_monthly", "parked-user");
        app.Stripe.Faults.FailFor(TimeSpan.FromSeconds(60), FaultKind.ServerError, $"/v1/subscriptions/{subscriptionId}");

        // Sent in another API version, so it must be read from Stripe, which keeps failing.
        using var accepted = await Webhooks.PostAsync(app.Anonymous(), Webhooks.Event("customer.subscription.created", app.Stripe.Subscription(subscriptionId)!, id: "evt_parked", apiVersion: "2025-03-31.basil"));
        var failed = await Webhooks.EventuallyAsync(
            async () => (await admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/webhook-events?status=failed"))!,
            list => list.Count > 0);
        app.Stripe.Faults.Clear();
        using var replay = await admin.PostAsync("/api/v1/billing/admin/webhook-events/evt_parked/replay", null);
        using var unknown = await admin.PostAsync("/api/v1/billing/admin/webhook-events/evt_nothing/replay", null);
        await Webhooks.WaitUntilProcessedAsync(admin);
        using var user = app.ClientFor("parked-user");
        var status = await user.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status");

        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the webhook answers 200 whatever happens later");
        Assert.That(failed.Single()!["id"]!.GetValue<string>(), Is.EqualTo("evt_parked"));
        Assert.That(failed.Single()!["attempts"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(1));
        Assert.That(failed.Single()!["last_error"]!.GetValue<string>(), Does.Contain("stripe_unavailable"));
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(status!["tier_id"]!.GetValue<string>(), Is.EqualTo("starter"));
    }

    [Test]
    public async Task Webhook_metrics_count_received_duplicate_rejected_and_processed_events()
    {
        var measured = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == BillingMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => measured.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => measured.AddOrUpdate(instrument.Name, 1, (_, total) => total + 1));
        listener.Start();
        await using var app = await BillingApp.StartAsync();
        await app.PublishCatalogAsync();
        using var stripe = app.Anonymous();
        var (_, subscriptionId) = app.Stripe.SeedSubscription("starter_monthly", "metrics-user");
        var evt = Webhooks.Event("customer.subscription.created", app.Stripe.Subscription(subscriptionId)!);

        (await Webhooks.PostAsync(stripe, evt)).Dispose();
        (await Webhooks.PostAsync(stripe, evt)).Dispose();
        (await Webhooks.PostRawAsync(stripe, "{}", "t=1,v1=00")).Dispose();
        using var admin = app.Admin();
        await Webhooks.WaitUntilProcessedAsync(admin);

        Assert.That(measured.GetValueOrDefault("billing.webhooks.received"), Is.GreaterThanOrEqualTo(1));
        Assert.That(measured.GetValueOrDefault("billing.webhooks.duplicate"), Is.GreaterThanOrEqualTo(1));
        Assert.That(measured.GetValueOrDefault("billing.webhooks.rejected"), Is.GreaterThanOrEqualTo(1));
        Assert.That(measured.GetValueOrDefault("billing.webhooks.processed"), Is.GreaterThanOrEqualTo(1));
        Assert.That(measured.GetValueOrDefault("billing.webhooks.processing_lag"), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task No_secret_reaches_the_logs()
    {
        var logs = new ConcurrentQueue<string>();
        await using var app = await BillingApp.StartAsync(configure: s =>
        {
            s["Logging:LogLevel:Default"] = "Trace";
            s["Logging:LogLevel:Microsoft"] = "Trace";
            s["Logging:LogLevel:System"] = "Trace";
        });
        var host = app.Host.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(new CapturingLoggerProvider(logs)))));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new Billing.Application.Catalog.Publish.PublishCatalog(false));
        }

        app.Stripe.Webhooks.Configure(new Uri(host.Server.BaseAddress, Webhooks.Path), BillingApp.WebhookSecret, host.CreateClient());
        var user = app.Keycloak.AddUser("logged", "logged@example.com", id: "log-user");
        using var client = host.CreateClient();
        var token = app.Keycloak.IssueToken(user.Id, user.Email);
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var session = await (await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" })).Content.ReadFromJsonAsync<JsonObject>();
        app.Stripe.CompleteCheckout(session!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await Webhooks.EventuallyAsync(() => Task.FromResult(app.Keycloak.FindUser(user.Id)!.Attributes.ContainsKey("subscription_tier")), done => done);
        app.Stripe.Faults.FailNext(1, FaultKind.ServerError);
        (await client.GetAsync("/api/v1/billing/payment-methods")).Dispose();

        var all = string.Join('\n', logs);
        Assert.That(logs, Is.Not.Empty);
        foreach (var secret in new[] { app.Stripe.ApiKey, BillingApp.WebhookSecret, "billing-secret", app.Lago.ApiKey, token, StripeStandIn.CardSucceeds })
        {
            Assert.That(all, Does.Not.Contain(secret));
        }
    }

    [Test]
    public async Task Unreachable_Keycloak_and_Lago_make_readiness_degraded_with_one_warning_line_each_and_no_stack_trace()
    {
        var nobody = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        nobody.Start();
        var port = ((System.Net.IPEndPoint)nobody.LocalEndpoint).Port;
        nobody.Stop();
        var logs = new ConcurrentQueue<string>();
        await using var app = await BillingApp.StartAsync(keycloakSetUp: false, configure: s =>
        {
            s["LAGO_API_URL"] = $"http://127.0.0.1:{port}/";
            s["Billing:Webhooks:Enabled"] = "false";
            s["Billing:Sync:Enabled"] = "false";
        });
        var host = app.Host.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(new CapturingLoggerProvider(logs, LogLevel.Information)))));
        using var client = host.CreateClient();
        app.Keycloak.Faults.FailFor(TimeSpan.FromSeconds(30), FaultKind.RefuseConnection);

        using var ready = await client.GetAsync("/health/ready");
        var lines = logs.ToArray();

        Assert.That((await ready.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>(), Is.EqualTo("degraded"));
        Assert.That(lines.Where(l => l.Contains(" Error: ", StringComparison.Ordinal) || l.Contains(" Critical: ", StringComparison.Ordinal)), Is.Empty);
        Assert.That(lines.Where(l => l.Contains("   at ", StringComparison.Ordinal)), Is.Empty, "no stack trace for a dependency known to be out of reach");
        Assert.That(lines.Count(l => l.Contains(" Warning: ", StringComparison.Ordinal) && l.Contains("out of reach", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    [Test]
    public async Task An_unexpected_failure_is_stored_as_an_incident_while_its_exception_text_stays_in_the_log()
    {
        var logs = new ConcurrentQueue<string>();
        // Only the instance with the broken gateway processes: the app's own instance, on the same database and with
        // the real gateway, would otherwise claim the event first now and then and fail it as Stripe answers.
        await using var app = await BillingApp.StartAsync(configure: s =>
        {
            s["Billing:Webhooks:MaxAttempts"] = "1";
            s["Billing:Webhooks:Enabled"] = "false";
        });
        var host = app.Host.WithWebHostBuilder(b => b.UseSetting("Billing:Webhooks:Enabled", "true").ConfigureServices(s =>
        {
            s.AddLogging(l => l.AddProvider(new CapturingLoggerProvider(logs, LogLevel.Warning)));
            s.AddScoped(_ => BrokenGateway.Create());
        }));
        using var stripe = host.CreateClient();
        using var admin = host.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", app.Keycloak.IssueToken("ops", "ops@example.com", ["billing-admin"]));

        using var accepted = await Webhooks.PostAsync(stripe, Webhooks.Event("customer.subscription.updated", new JsonObject { ["id"] = "sub_broken", ["object"] = "subscription", ["customer"] = "cus_broken" }, id: "evt_broken"));
        var failed = await Webhooks.EventuallyAsync(
            async () => (await admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/webhook-events?status=failed"))!,
            list => list.Any(e => e!["id"]!.GetValue<string>() == "evt_broken"));
        var lastError = failed.Single(e => e!["id"]!.GetValue<string>() == "evt_broken")!["last_error"]!.GetValue<string>();

        Assert.That(lastError, Does.StartWith("unexpected_error:").And.Contain("incident"));
        Assert.That(lastError, Does.Not.Contain("UNIQUE").And.Not.Contain("Exception"), "the stored error names no internals");
        var incident = lastError[(lastError.LastIndexOf("incident ", StringComparison.Ordinal) + 9)..].TrimEnd('.');
        Assert.That(logs.Any(l => l.Contains(incident, StringComparison.Ordinal) && l.Contains("UNIQUE constraint failed", StringComparison.Ordinal)), Is.True, "the log has the exception under the incident");
    }

    /// <summary>The subscription port (what processing a subscription event calls) whose every call fails the way a bug would, with internals in its message.</summary>
    public class BrokenGateway : System.Reflection.DispatchProxy
    {
        public static Billing.Application.Ports.ISubscriptionGateway Create() => Create<Billing.Application.Ports.ISubscriptionGateway, BrokenGateway>();

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) =>
            throw new InvalidOperationException("SqliteException: SQLite Error 19: 'UNIQUE constraint failed: billing_accounts.user_id'.");
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines, LogLevel minimum = LogLevel.Trace) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines, minimum);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines, LogLevel minimum) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                lines.Enqueue($"{category} scope: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
                }
            }
        }
    }
}
