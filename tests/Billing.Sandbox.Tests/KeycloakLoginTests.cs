using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Billing.Sandbox.Keycloak;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Billing.Sandbox.Tests;

/// <summary>
/// A SPA's login through the Keycloak stand-in, held to what Keycloak does: authorization code with PKCE (S256),
/// redirect URIs checked before anything is shown, one use per code, the verifier checked, CORS for the SPA's origin.
/// </summary>
public sealed class KeycloakLoginTests
{
    private const string Spa = "http://localhost:5173";
    private KeycloakStandIn _keycloak = null!;
    private HttpClient _browser = null!;
    private readonly string _verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    [SetUp]
    public async Task StartAsync()
    {
        _keycloak = new KeycloakStandIn();
        await _keycloak.StartAsync();
        _keycloak.AddPublicClient("billing-spa", $"{Spa}/*");
        _keycloak.AddUser("ada", "ada@example.com", "secret-pw");
        _browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _keycloak.BaseUrl };
    }

    [TearDown]
    public async Task StopAsync()
    {
        _browser.Dispose();
        await _keycloak.DisposeAsync();
    }

    private string Challenge => WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(_verifier)));

    private Dictionary<string, string?> Authorization(string redirectUri = $"{Spa}/callback", string? method = "S256") => new()
    {
        ["client_id"] = "billing-spa",
        ["redirect_uri"] = redirectUri,
        ["response_type"] = "code",
        ["scope"] = "openid",
        ["state"] = "st-1",
        ["code_challenge"] = Challenge,
        ["code_challenge_method"] = method,
    };

    private async Task<HttpResponseMessage> SignInAsync(string password = "secret-pw")
    {
        var form = Authorization().Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!);
        form["username"] = "ada";
        form["password"] = password;
        return await _browser.PostAsync($"realms/{_keycloak.Realm}/protocol/openid-connect/auth", new FormUrlEncodedContent(form));
    }

    private Task<HttpResponseMessage> ExchangeAsync(string code, string verifier) =>
        _browser.PostAsync($"realms/{_keycloak.Realm}/protocol/openid-connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "billing-spa",
            ["redirect_uri"] = $"{Spa}/callback",
            ["code"] = code,
            ["code_verifier"] = verifier,
        }));

    [Test]
    public async Task A_user_signs_in_on_the_login_page_and_the_code_with_its_verifier_buys_tokens_once()
    {
        using var page = await _browser.GetAsync(QueryHelpers.AddQueryString($"realms/{_keycloak.Realm}/protocol/openid-connect/auth", Authorization()));
        using var signedIn = await SignInAsync();
        var redirect = signedIn.Headers.Location!;
        var query = QueryHelpers.ParseQuery(redirect.Query);
        using var tokens = await ExchangeAsync(query["code"]!, _verifier);
        var body = (await tokens.Content.ReadFromJsonAsync<JsonObject>())!;
        using var again = await ExchangeAsync(query["code"]!, _verifier);
        var access = new JsonWebToken(body["access_token"]!.GetValue<string>());

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("id=\"kc-form-login\""));
        Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(redirect.GetLeftPart(UriPartial.Path), Is.EqualTo($"{Spa}/callback"));
        Assert.That(query["state"].ToString(), Is.EqualTo("st-1"));
        Assert.That(tokens.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(access.Audiences, Does.Contain(_keycloak.Audience), "the SPA's tokens carry the API's audience (the realm's audience mapper)");
        Assert.That(access.GetClaim("azp").Value, Is.EqualTo("billing-spa"));
        Assert.That(body["id_token"], Is.Not.Null);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a code is used once");
    }

    [Test]
    public async Task A_wrong_verifier_a_wrong_password_an_untrusted_redirect_and_a_missing_challenge_get_nothing()
    {
        using var signedIn = await SignInAsync();
        var code = QueryHelpers.ParseQuery(signedIn.Headers.Location!.Query)["code"].ToString();
        using var wrongVerifier = await ExchangeAsync(code, WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32)));
        using var wrongPassword = await SignInAsync("nope");
        using var untrusted = await _browser.GetAsync(QueryHelpers.AddQueryString($"realms/{_keycloak.Realm}/protocol/openid-connect/auth", Authorization("https://evil.example.com/callback")));
        using var noChallenge = await _browser.GetAsync(QueryHelpers.AddQueryString($"realms/{_keycloak.Realm}/protocol/openid-connect/auth", Authorization(method: null).Where(p => p.Value is not null).ToDictionary()));

        Assert.That(wrongVerifier.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await wrongVerifier.Content.ReadFromJsonAsync<JsonObject>())!["error_description"]!.GetValue<string>(), Does.Contain("PKCE"));
        Assert.That(wrongPassword.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await wrongPassword.Content.ReadAsStringAsync(), Does.Contain("Invalid username or password."));
        Assert.That(untrusted.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(untrusted.Headers.Location, Is.Null, "never a redirect to an untrusted URI");
        Assert.That(await noChallenge.Content.ReadAsStringAsync(), Does.Contain("Missing parameter: code_challenge_method"));
    }

    [Test]
    public async Task The_token_endpoint_answers_a_preflight_from_the_spa_origin_only()
    {
        using var fromSpa = new HttpRequestMessage(HttpMethod.Options, $"realms/{_keycloak.Realm}/protocol/openid-connect/token");
        fromSpa.Headers.Add("Origin", Spa);
        using var fromElsewhere = new HttpRequestMessage(HttpMethod.Options, $"realms/{_keycloak.Realm}/protocol/openid-connect/token");
        fromElsewhere.Headers.Add("Origin", "https://evil.example.com");

        using var allowed = await _browser.SendAsync(fromSpa);
        using var refused = await _browser.SendAsync(fromElsewhere);

        Assert.That(allowed.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { Spa }));
        Assert.That(refused.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }
}
