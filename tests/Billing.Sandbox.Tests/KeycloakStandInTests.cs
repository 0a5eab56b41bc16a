using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Sandbox.Common;
using Billing.Sandbox.Keycloak;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Billing.Sandbox.Tests;

/// <summary>The Keycloak stand-in: discovery, JWKS, token grants and the admin users API with Keycloak's PUT semantics.</summary>
public sealed class KeycloakStandInTests
{
    private KeycloakStandIn _keycloak = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _keycloak = new KeycloakStandIn();
        await _keycloak.StartAsync();
        _keycloak.AddClient("billing-service", "s3cret", KeycloakStandIn.ManageUsersRole);
        _http = new HttpClient { BaseAddress = _keycloak.BaseUrl };
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _keycloak.DisposeAsync();
    }

    private async Task<HttpResponseMessage> TokenAsync(params (string Key, string Value)[] form) =>
        await _http.PostAsync($"realms/{_keycloak.Realm}/protocol/openid-connect/token", new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Key, f.Value))));

    private async Task<string> AdminTokenAsync()
    {
        using var response = await TokenAsync(("grant_type", "client_credentials"), ("client_id", "billing-service"), ("client_secret", "s3cret"));
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
    }

    [Test]
    public async Task A_password_grant_token_validates_against_the_keys_of_the_discovery_document()
    {
        _keycloak.AddUser("ada", "ada@example.com", "pw", ["billing-admin"]);
        var discovery = await _http.GetFromJsonAsync<JsonObject>($"realms/{_keycloak.Realm}/.well-known/openid-configuration");
        var jwks = new JsonWebKeySet(await _http.GetStringAsync(discovery!["jwks_uri"]!.GetValue<string>()));

        using var response = await TokenAsync(("grant_type", "password"), ("client_id", "billing-spa"), ("username", "ada"), ("password", "pw"));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(body!["access_token"]!.GetValue<string>(), new TokenValidationParameters
        {
            ValidIssuer = discovery["issuer"]!.GetValue<string>(),
            ValidAudience = _keycloak.Audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body["token_type"]!.GetValue<string>(), Is.EqualTo("Bearer"));
        Assert.That(body["expires_in"]!.GetValue<int>(), Is.GreaterThan(0));
        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        Assert.That(result.Claims["email"], Is.EqualTo("ada@example.com"));
        Assert.That(result.Claims["realm_access"].ToString(), Does.Contain("billing-admin"));
    }

    [Test]
    public async Task Wrong_credentials_get_OAuth_errors()
    {
        using var badClient = await TokenAsync(("grant_type", "client_credentials"), ("client_id", "billing-service"), ("client_secret", "nope"));
        using var badUser = await TokenAsync(("grant_type", "password"), ("client_id", "billing-spa"), ("username", "ghost"), ("password", "x"));

        Assert.That(badClient.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await badClient.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>(), Is.EqualTo("unauthorized_client"));
        Assert.That((await badUser.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>(), Is.EqualTo("invalid_grant"));
    }

    [Test]
    public async Task Admin_calls_need_a_token_with_manage_users()
    {
        var user = _keycloak.AddUser("ada", "ada@example.com");
        using var anonymous = await _http.GetAsync($"admin/realms/{_keycloak.Realm}/users/{user.Id}");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"admin/realms/{_keycloak.Realm}/users/{user.Id}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _keycloak.IssueToken("someone", "s@example.com"));
        using var forbidden = await _http.SendAsync(request);

        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Users_are_found_by_exact_email_and_by_id()
    {
        _keycloak.AddUser("ada", "ada@example.com");
        _keycloak.AddUser("adam", "adam@example.com");
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AdminTokenAsync());

        var exact = await _http.GetFromJsonAsync<JsonArray>($"admin/realms/{_keycloak.Realm}/users?email=ada@example.com&exact=true");
        var contained = await _http.GetFromJsonAsync<JsonArray>($"admin/realms/{_keycloak.Realm}/users?email=ada");
        var byId = await _http.GetFromJsonAsync<JsonObject>($"admin/realms/{_keycloak.Realm}/users/{exact![0]!["id"]}");
        using var missing = await _http.GetAsync($"admin/realms/{_keycloak.Realm}/users/nobody");

        Assert.That(exact, Has.Count.EqualTo(1));
        Assert.That(contained, Has.Count.EqualTo(2));
        Assert.That(byId!["username"]!.GetValue<string>(), Is.EqualTo("ada"));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Users_are_found_by_an_attribute_value_whole_with_exact_and_by_a_part_without()
    {
        _keycloak.AddUser("ada", "ada@example.com", attributes: new() { ["billing_organization_id"] = ["org-1"] });
        _keycloak.AddUser("bob", "bob@example.com", attributes: new() { ["billing_organization_id"] = ["org-12"] });
        _keycloak.AddUser("eve", "eve@example.com");
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AdminTokenAsync());

        var exact = await _http.GetFromJsonAsync<JsonArray>($"admin/realms/{_keycloak.Realm}/users?q=billing_organization_id:ORG-1&exact=true");
        var part = await _http.GetFromJsonAsync<JsonArray>($"admin/realms/{_keycloak.Realm}/users?q=billing_organization_id:org-1");

        Assert.That(exact!.Select(u => u!["username"]!.GetValue<string>()), Is.EqualTo(new[] { "ada" }), "the whole value, ignoring case");
        Assert.That(part!.Select(u => u!["username"]!.GetValue<string>()), Is.EquivalentTo(new[] { "ada", "bob" }), "without exact, Keycloak matches a part of the value");
    }

    [Test]
    public async Task In_a_realm_upgraded_with_unmanaged_attributes_enabled_put_with_attributes_replaces_the_whole_map()
    {
        var user = _keycloak.AddUser("ada", "ada@example.com", attributes: new() { ["department"] = ["research"], ["subscription_tier"] = ["trial"] });
        _keycloak.Profile.SetUnmanagedAttributePolicy("ENABLED");
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AdminTokenAsync());

        using var put = await _http.PutAsJsonAsync($"admin/realms/{_keycloak.Realm}/users/{user.Id}", new { username = "ada", email = "ada@example.com", attributes = new Dictionary<string, string[]> { ["subscription_tier"] = ["starter"] } });

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(_keycloak.FindUser(user.Id)!.Attributes.Keys, Is.EquivalentTo(new[] { "subscription_tier" }), "the attribute left out is gone, as in Keycloak 24.0.4+");
        Assert.That(_keycloak.FindUser(user.Id)!.Attributes["subscription_tier"], Is.EqualTo(new[] { "starter" }));
    }

    [Test]
    public async Task Put_without_attributes_keeps_them()
    {
        var user = _keycloak.AddUser("ada", "ada@example.com", attributes: new() { ["department"] = ["research"] });
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AdminTokenAsync());

        using var put = await _http.PutAsJsonAsync($"admin/realms/{_keycloak.Realm}/users/{user.Id}", new { firstName = "Ada" });

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(_keycloak.FindUser(user.Id)!.Attributes["department"], Is.EqualTo(new[] { "research" }));
        Assert.That(_keycloak.FindUser(user.Id)!.FirstName, Is.EqualTo("Ada"));
    }

    [Test]
    public async Task Faults_apply_for_a_period_then_stop()
    {
        _keycloak.Faults.FailFor(TimeSpan.FromMilliseconds(300), FaultKind.ServerError);

        using var during = await _http.GetAsync($"realms/{_keycloak.Realm}/.well-known/openid-configuration");
        await Task.Delay(400);
        using var after = await _http.GetAsync($"realms/{_keycloak.Realm}/.well-known/openid-configuration");

        Assert.That(during.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
