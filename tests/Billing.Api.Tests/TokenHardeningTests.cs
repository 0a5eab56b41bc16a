using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Billing.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Api.Tests;

/// <summary>
/// Validly signed tokens that carry what Keycloak would not: roles anywhere but an object-valued
/// <c>realm_access.roles</c>, and subjects or e-mails the service cannot store. None opens anything, none is a 500.
/// </summary>
public sealed class TokenHardeningTests
{
    private BillingApp _app = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _app = await BillingApp.StartWithCatalogAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _app.DisposeAsync();

    private HttpClient With(string token)
    {
        var client = _app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static IEnumerable<TestCaseData> ForgedAdmins()
    {
        yield return new TestCaseData(new Dictionary<string, object?> { ["role"] = "billing-admin" }).SetName("A top-level role claim grants no role");
        yield return new TestCaseData(new Dictionary<string, object?> { ["urn:billing:role"] = "billing-admin" }).SetName("A claim named like the service's own role claim grants no role");
        yield return new TestCaseData(new Dictionary<string, object?> { ["realm_access"] = "{\"roles\":[\"billing-admin\"]}" }).SetName("realm_access as a JSON string grants no role");
        yield return new TestCaseData(new Dictionary<string, object?> { ["realm_access"] = 5 }).SetName("realm_access as a number grants no role and is no 500");
        yield return new TestCaseData(new Dictionary<string, object?> { ["realm_access"] = true }).SetName("realm_access as a boolean grants no role and is no 500");
        yield return new TestCaseData(new Dictionary<string, object?> { ["realm_access"] = new Dictionary<string, object> { ["roles"] = "billing-admin" } }).SetName("roles as a string grants no role");
        yield return new TestCaseData(new Dictionary<string, object?> { ["resource_access"] = new Dictionary<string, object> { ["billing-api"] = new Dictionary<string, object> { ["roles"] = new[] { "billing-admin" } } } }).SetName("Client roles count only for a configured client");
    }

    [TestCaseSource(nameof(ForgedAdmins))]
    public async Task Forged_admin(Dictionary<string, object?> claims)
    {
        using var client = With(_app.Keycloak.IssueToken("mallory", "m@example.com", roles: ["default-roles-billing"], claims: claims));

        using var admin = await client.GetAsync("/api/v1/billing/admin/webhook-events");
        using var own = await client.GetAsync("/api/v1/billing/subscription-status");

        Assert.That(admin.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the token is valid for the caller's own data");
    }

    [Test]
    public async Task The_admin_role_from_realm_access_still_opens_the_admin_endpoints()
    {
        using var admin = _app.Admin();

        using var response = await admin.GetAsync("/api/v1/billing/admin/webhook-events");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static IEnumerable<TestCaseData> UnstorableCallers()
    {
        yield return new TestCaseData(null, "u@example.com").SetName("A token without a subject is 401");
        yield return new TestCaseData("", "u@example.com").SetName("An empty subject is 401");
        yield return new TestCaseData("   ", "u@example.com").SetName("A blank subject is 401");
        yield return new TestCaseData("user\u0000id", "u@example.com").SetName("A subject with a NUL is 401");
        yield return new TestCaseData("user\nid", "u@example.com").SetName("A subject with a newline is 401");
        yield return new TestCaseData(new string('s', 129), "u@example.com").SetName("A subject over 128 characters is 401");
        yield return new TestCaseData("u-long-mail", new string('e', 320) + "@example.com").SetName("An e-mail over 320 characters is 401");
    }

    [TestCaseSource(nameof(UnstorableCallers))]
    public async Task Unstorable_caller(string? subject, string email)
    {
        using var client = With(_app.Keycloak.IssueToken(subject, email));

        using var status = await client.GetAsync("/api/v1/billing/subscription-status");
        using var checkout = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });

        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(checkout.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(status.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task A_federated_subject_with_accents_checks_out()
    {
        using var client = With(_app.Keycloak.IssueToken("f:ldap:josé", "jose@example.com"));

        using var checkout = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });

        Assert.That(checkout.StatusCode, Is.EqualTo(HttpStatusCode.OK), await checkout.Content.ReadAsStringAsync());
    }
}

/// <summary>A client's roles count when that client is configured (<c>KEYCLOAK_ROLES_CLIENT</c>).</summary>
public sealed class ClientRoleTests
{
    [Test]
    public async Task The_configured_clients_admin_role_opens_the_admin_endpoints()
    {
        await using var app = await BillingApp.StartAsync(configure: s => s["KEYCLOAK_ROLES_CLIENT"] = "billing-api");
        var token = app.Keycloak.IssueToken("ops", "ops@example.com", claims: new Dictionary<string, object?>
        {
            ["resource_access"] = new Dictionary<string, object> { ["billing-api"] = new Dictionary<string, object> { ["roles"] = new[] { "billing-admin" } } },
        });
        using var client = app.WithToken(token);

        using var response = await client.GetAsync("/api/v1/billing/admin/webhook-events");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}

/// <summary>Surfaces an outsider can reach, held to what they should show and cost.</summary>
public sealed class ExposureTests
{
    [Test]
    public async Task Readiness_asks_Keycloak_and_Lago_at_most_once_in_five_seconds()
    {
        await using var app = await BillingApp.StartAsync(configure: s => s["Billing:Health:ProbeCache"] = null);
        using var client = app.Anonymous();
        var before = app.Keycloak.Requests.Count("GET", $"/realms/{app.Keycloak.Realm}/.well-known");

        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync("/health/ready");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(app.Keycloak.Requests.Count("GET", $"/realms/{app.Keycloak.Realm}/.well-known") - before, Is.EqualTo(1));
        Assert.That(app.Lago.Requests.Count("GET", "/api/v1/customers"), Is.EqualTo(1));
    }

    [Test]
    public async Task Outside_Development_the_swagger_document_and_ui_are_not_served_unless_enabled()
    {
        await using var app = await BillingApp.StartAsync(configure: s => s["Billing:Swagger:Enabled"] = null);
        using var client = app.Anonymous();

        using var json = await client.GetAsync("/swagger/v1/swagger.json");
        using var ui = await client.GetAsync("/swagger/index.html");

        Assert.That(json.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK));
        Assert.That(ui.StatusCode, Is.Not.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Kestrel_does_not_name_itself()
    {
        await using var app = await BillingApp.StartAsync();

        var kestrel = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>>().Value;

        Assert.That(kestrel.AddServerHeader, Is.False);
    }

    [Test]
    public async Task Replaying_an_ignored_event_is_409_and_processes_nothing()
    {
        await using var app = await BillingApp.StartAsync();
        using var stripe = app.Anonymous();
        var evt = Webhooks.Event("customer.created", new System.Text.Json.Nodes.JsonObject { ["id"] = "cus_x", ["object"] = "customer" });
        (await Webhooks.PostAsync(stripe, evt)).Dispose();
        using var admin = app.Admin();

        using var replay = await admin.PostAsync($"/api/v1/billing/admin/webhook-events/{evt["id"]}/replay", null);
        var stored = (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/api/v1/billing/admin/webhook-events?status=ignored"))!;

        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(stored.Select(e => e!["id"]!.GetValue<string>()), Does.Contain(evt["id"]!.GetValue<string>()));
    }
}
