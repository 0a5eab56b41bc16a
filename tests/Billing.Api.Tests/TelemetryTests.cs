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
}
