using System.Net;
using System.Net.Http.Json;
using Billing.Api.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Billing.Api.Tests;

/// <summary>A SPA on another origin can call the API (and only the origins named can); answers are compressed; proxies are believed only when named.</summary>
public sealed class BrowserAccessTests : AppFixture
{
    private const string SpaOrigin = "http://localhost:5173";

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["BILLING_CORS_ORIGINS"] = $"{SpaOrigin}, https://billing.example.com";
        settings["BILLING_FORWARDED_HEADERS"] = "10.0.0.0/8, 192.168.1.7";
    }

    private static HttpRequestMessage Preflight(string origin, string method = "POST", string headers = "authorization,content-type,idempotency-key")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/billing/checkout/create");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return request;
    }

    [Test]
    public async Task A_preflight_from_the_spa_is_answered_before_authentication_with_the_headers_it_may_send()
    {
        using var client = App.Anonymous();

        using var response = await client.SendAsync(Preflight(SpaOrigin));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "not 401: a preflight carries no token");
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { SpaOrigin }));
        Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant(), Does.Contain("idempotency-key").And.Contain("authorization"));
        Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), Does.Contain("POST"));
    }

    [Test]
    public async Task A_preflight_for_a_put_is_allowed_because_an_organizations_seats_are_set_with_one()
    {
        using var client = App.Anonymous();

        using var response = await client.SendAsync(Preflight(SpaOrigin, method: "PUT"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), Does.Contain("PUT"));
    }

    [Test]
    public async Task A_preflight_from_another_origin_gets_no_permission()
    {
        using var client = App.Anonymous();

        using var response = await client.SendAsync(Preflight("https://evil.example.com"));

        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task An_answer_to_the_spa_names_its_origin_and_exposes_the_headers_it_reads()
    {
        using var client = App.ClientFor($"cors-{Guid.NewGuid():N}"[..16]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/billing/subscription-status");
        request.Headers.Add("Origin", SpaOrigin);

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { SpaOrigin }));
        Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")), Does.Contain("Retry-After").And.Contain("Idempotent-Replayed"));
    }

    [Test]
    public async Task Json_answers_are_compressed_for_a_client_that_accepts_it_and_carry_no_server_header()
    {
        using var client = App.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/billing/plans");
        request.Headers.Add("Accept-Encoding", "br, gzip");

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "br" }));
        Assert.That(response.Headers.Contains("Server"), Is.False);
    }

    [Test]
    public void Forwarded_headers_are_believed_from_the_named_proxies_only()
    {
        var options = App.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        Assert.That(options.ForwardedHeaders, Is.EqualTo(ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto));
        Assert.That(options.KnownIPNetworks.Select(n => n.ToString()), Is.EquivalentTo(new[] { "10.0.0.0/8", "192.168.1.7/32" }));
        Assert.That(options.KnownProxies, Is.Empty, "not even loopback is trusted unless named");
    }
}

/// <summary>The container's health check: the service probes its own /health/live.</summary>
public sealed class HealthProbeTests
{
    [TestCase(200, 0)]
    [TestCase(503, 1)]
    public async Task The_probe_exits_0_only_when_the_service_answers_live(int status, int exit)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/health/live", () => Results.StatusCode(status));
        await app.StartAsync();

        var result = await Billing.Api.HealthProbe.RunAsync(new Uri(app.Urls.First() + "/"));

        Assert.That(result, Is.EqualTo(exit));
    }

    [Test]
    public async Task The_probe_exits_1_when_nothing_answers()
    {
        var (exit, _) = await ServiceProcess.RunAsync(new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = "1" }, "health");

        Assert.That(exit, Is.EqualTo(1));
    }
}
