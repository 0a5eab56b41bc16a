using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Api.Tests;

/// <summary>Health, the plan catalog, authentication and problem documents, on both databases.</summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class HttpConventionsTests(Database database)
{
    private BillingApp _app = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _app = await BillingApp.StartAsync(database);

    [OneTimeTearDown]
    public async Task StopAsync() => await _app.DisposeAsync();

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(problem!["status"]!.GetValue<int>(), Is.EqualTo((int)status));
        Assert.That(problem["title"]?.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task Health_live_and_ready_report_healthy_with_the_database_checked()
    {
        using var client = _app.Anonymous();

        using var live = await client.GetAsync("/health/live");
        var ready = await client.GetFromJsonAsync<JsonObject>("/health/ready");

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ready!["status"]!.GetValue<string>(), Is.EqualTo("healthy"), ready.ToJsonString());
        Assert.That(ready["checks"]!["database"]!["status"]!.GetValue<string>(), Is.EqualTo("healthy"));
    }

    [Test]
    public async Task Plans_are_listed_anonymously_from_configuration_with_lookup_keys()
    {
        using var client = _app.Anonymous();

        var plans = await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/plans");

        var tiers = plans!["plans"]!.AsArray();
        Assert.That(tiers.Select(t => t!["tier_id"]!.GetValue<string>()), Is.EqualTo(new[] { "trial", "starter", "professional", "enterprise" }));
        var professional = tiers[2]!["prices"]!.AsArray();
        Assert.That(professional.Select(p => (p!["lookup_key"]!.GetValue<string>(), p["unit_amount"]!.GetValue<long>())), Is.EqualTo(new[] { ("professional_monthly", 4900L), ("professional_yearly", 49000L) }));
        Assert.That(tiers[0]!["prices"]!.AsArray(), Has.Count.EqualTo(1), "trial is monthly only");
        Assert.That(plans["current"], Is.Null);
    }

    [Test]
    public async Task An_authenticated_caller_sees_which_plan_they_hold()
    {
        using var client = _app.ClientFor("plans-user");

        var plans = await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/plans");
        using var status = await client.GetAsync("/api/v1/billing/subscription-status");
        var current = await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/plans");

        Assert.That(plans!["current"], Is.Null, "no account yet");
        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(current!["current"], Is.Null, "reading the status creates no account");
    }

    [Test]
    public async Task A_valid_Keycloak_token_is_accepted()
    {
        using var client = _app.ClientFor("user-ok");

        var status = await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status");

        Assert.That(status!["tier_id"]!.GetValue<string>(), Is.EqualTo("trial"));
        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("none"));
    }

    [Test]
    public async Task No_token_is_401_problem()
    {
        using var client = _app.Anonymous();

        using var response = await client.GetAsync("/api/v1/billing/subscription-status");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    private static IEnumerable<TestCaseData> BadTokens()
    {
        yield return new TestCaseData(new Func<BillingApp, string>(a => a.Keycloak.IssueToken("u", "u@example.com", lifetime: TimeSpan.FromMinutes(1), now: DateTimeOffset.UtcNow.AddHours(-1)))).SetName("An expired token is 401");
        yield return new TestCaseData(new Func<BillingApp, string>(a => a.Keycloak.IssueToken("u", "u@example.com", issuer: "http://127.0.0.1:1/realms/other"))).SetName("A token of another issuer is 401");
        yield return new TestCaseData(new Func<BillingApp, string>(a => a.Keycloak.IssueToken("u", "u@example.com", audience: "another-api"))).SetName("A token for another audience is 401");
        yield return new TestCaseData(new Func<BillingApp, string>(a => Unsigned(a.Keycloak.IssueToken("u", "u@example.com")))).SetName("An unsigned alg none token is 401");
        yield return new TestCaseData(new Func<BillingApp, string>(a => Tampered(a.Keycloak.IssueToken("u", "u@example.com")))).SetName("A tampered token is 401");
        yield return new TestCaseData(new Func<BillingApp, string>(_ => "not-a-jwt")).SetName("Garbage in the bearer header is 401");
    }

    [TestCaseSource(nameof(BadTokens))]
    public async Task Rejected_tokens(Func<BillingApp, string> token)
    {
        using var client = _app.WithToken(token(_app));

        using var response = await client.GetAsync("/api/v1/billing/subscription-status");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    private static string Unsigned(string jwt)
    {
        var parts = jwt.Split('.');
        var header = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"alg\":\"none\",\"typ\":\"JWT\"}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{header}.{parts[1]}.";
    }

    private static string Tampered(string jwt)
    {
        var parts = jwt.Split('.');
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1].Replace('-', '+').Replace('_', '/'))));
        var forged = payload.Replace("\"sub\":\"u\"", "\"sub\":\"admin\"", StringComparison.Ordinal);
        Assert.That(forged, Is.Not.EqualTo(payload));
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(forged)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{parts[0]}.{encoded}.{parts[2]}";
    }

    private static string Pad(string s) => s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');

    [Test]
    public async Task Admin_endpoints_need_the_admin_realm_role()
    {
        using var user = _app.ClientFor("plain-user");
        using var admin = _app.Admin();

        using var forbidden = await user.GetAsync("/api/v1/billing/admin/webhook-events");
        using var allowed = await admin.GetAsync("/api/v1/billing/admin/webhook-events");

        await AssertProblemAsync(forbidden, HttpStatusCode.Forbidden);
        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Malformed_json_is_400_problem_and_changes_nothing()
    {
        using var client = _app.ClientFor("user-json");

        using var response = await client.PostAsync("/api/v1/billing/checkout/create", new StringContent("{\"tier_id\": ", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(_app.Stripe.Requests.All.Where(r => r.Path.StartsWith("/v1/customers", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task An_unknown_route_is_404_problem()
    {
        using var client = _app.ClientFor("user-404");

        using var response = await client.GetAsync("/api/v1/billing/nothing-here");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task The_swagger_document_lists_every_endpoint_with_the_bearer_scheme()
    {
        using var client = _app.Anonymous();
        var document = await client.GetFromJsonAsync<JsonObject>("/swagger/v1/swagger.json");
        var actions = _app.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items.OfType<ControllerActionDescriptor>().ToList();

        var documented = document!["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}")).ToHashSet();
        var routes = actions.Select(a => $"{a.ActionConstraints!.OfType<Microsoft.AspNetCore.Mvc.ActionConstraints.HttpMethodActionConstraint>().Single().HttpMethods.Single()} /{System.Text.RegularExpressions.Regex.Replace(a.AttributeRouteInfo!.Template!, @"\{(\w+):[^}]+\}", "{$1}")}").ToHashSet();

        Assert.That(routes, Is.Not.Empty);
        Assert.That(documented, Is.EquivalentTo(routes));
        Assert.That(document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>(), Is.EqualTo("bearer"));
        var status = document["paths"]!["/api/v1/billing/subscription-status"]!["get"]!;
        Assert.That(status["security"], Is.Not.Null);
        Assert.That(status["responses"]!["401"], Is.Not.Null);
        Assert.That(document["paths"]!["/api/v1/billing/plans"]!["get"]!["security"], Is.Null);
    }

    [Test]
    public async Task The_swagger_ui_is_served_and_points_at_the_api_document()
    {
        using var client = _app.Anonymous();

        using var response = await client.GetAsync("/swagger/index.html");
        var page = await response.Content.ReadAsStringAsync();
        using var initializer = await client.GetAsync("/swagger/index.js");
        var script = page + (initializer.IsSuccessStatusCode ? await initializer.Content.ReadAsStringAsync() : string.Empty);
        using var document = await client.GetAsync("/swagger/v1/swagger.json");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That(page, Does.Contain("swagger-ui"));
        Assert.That(script, Does.Contain("v1/swagger.json"));
        Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
