using System.Net;
using Billing.Api.Tests.Support;

namespace Billing.Api.Tests;

/// <summary>The service seen from outside: a Prometheus scrape endpoint when asked for, with the metrics operators alert on.</summary>
public sealed class TelemetryTests
{
    [Test]
    public async Task With_prometheus_on_metrics_are_scraped_anonymously_including_the_backlog_gauges()
    {
        await using var app = await BillingApp.StartWithCatalogAsync(Database.Sqlite, s => s["Billing:Metrics:Prometheus"] = "true");
        using var anonymous = app.Anonymous();
        using var unsigned = await Webhooks.PostRawAsync(anonymous, "{}", "t=1,v1=bad");

        var scrape = await Webhooks.EventuallyAsync(
            () => anonymous.GetStringAsync("/metrics"),
            text => text.Contains("billing_webhooks_rejected", StringComparison.Ordinal) && text.Contains("billing_webhooks_pending", StringComparison.Ordinal));

        Assert.That(scrape, Does.Contain("billing_webhooks_rejected_total"));
        Assert.That(scrape, Does.Contain("billing_webhooks_oldest_pending_age"));
        Assert.That(scrape, Does.Contain("billing_sync_parked"));
        Assert.That(scrape, Does.Contain("billing_usage_pending"));
        Assert.That(scrape, Does.Contain("http_server_request_duration"), "ASP.NET Core's own meters too");
    }

    [Test]
    public async Task Without_the_setting_there_is_no_scrape_endpoint()
    {
        await using var app = await BillingApp.StartAsync();
        using var anonymous = app.Anonymous();
        using var admin = app.Admin();

        using var asNobody = await anonymous.GetAsync("/metrics");
        using var asAdmin = await admin.GetAsync("/metrics");

        Assert.That(asNobody.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "no anonymous endpoint there");
        Assert.That(asAdmin.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task With_json_logs_each_line_is_one_json_object_and_no_secret_is_in_them()
    {
        const string secret = "sk_test_never_in_logs_51Qa";
        await using var stripe = new Billing.Sandbox.Stripe.StripeStandIn();
        await stripe.StartAsync();

        // reconcile logs as the service does (the database prepared, the run's summary) and then ends; Stripe refuses the key.
        var (_, output) = await ServiceProcess.RunAsync(
            new Dictionary<string, string> { ["BILLING_LOG_FORMAT"] = "json", ["STRIPE_API_KEY"] = secret, ["STRIPE_API_BASE"] = stripe.BaseUrl.AbsoluteUri },
            "reconcile", "--dry-run");
        var logLines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).ToList();
        var entries = logLines.Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!.AsObject()).ToList();

        Assert.That(entries, Is.Not.Empty, output);
        Assert.That(entries, Has.All.Matches<System.Text.Json.Nodes.JsonObject>(e => e!.ContainsKey("Timestamp") && e.ContainsKey("LogLevel") && e.ContainsKey("Category") && e.ContainsKey("Message")));
        Assert.That(entries.Select(e => e["Message"]?.GetValue<string>() ?? string.Empty), Has.Some.Contains("Database ready"));
        Assert.That(output, Does.Not.Contain(secret));
    }
}
