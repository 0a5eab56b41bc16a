using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Billing.Sandbox.Keycloak;

/// <summary>
/// The browser login of a public client (a SPA): OIDC authorization code flow with PKCE, as Keycloak answers it.
/// An unknown client or a redirect URI the client does not allow is an error page, never a redirect; a client whose
/// policy is S256 must send a code challenge; a code is used once, within a minute, with the same redirect URI and a
/// verifier that hashes to its challenge; the token endpoint answers a browser on an allowed origin with CORS.
/// </summary>
public sealed partial class KeycloakStandIn
{
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new(StringComparer.Ordinal);

    private sealed record PendingCode(string ClientId, string RedirectUri, string Challenge, string UserId, string? Nonce, DateTimeOffset Expires);

    /// <summary>A public client (no secret) that logs users in through the browser, with the redirect URIs it may use (a trailing * is a prefix).</summary>
    public void AddPublicClient(string clientId, params string[] redirectUris) => PublicClients[clientId] = [.. redirectUris];

    private void MapLogin(WebApplication app, string realmPath)
    {
        app.MapGet($"{realmPath}/protocol/openid-connect/auth", (HttpRequest r) => LoginPage(r.Query, error: null));
        app.MapPost($"{realmPath}/protocol/openid-connect/auth", LoginAsync);
        app.MapMethods($"{realmPath}/protocol/openid-connect/token", ["OPTIONS"], (HttpContext c) =>
        {
            AllowOrigin(c);
            c.Response.Headers.AccessControlAllowMethods = "POST, OPTIONS";
            c.Response.Headers.AccessControlAllowHeaders = "Content-Type";
            return Results.Ok();
        });
    }

    private IResult LoginPage(IQueryCollection query, string? error)
    {
        if (CheckAuthorizationRequest(query) is { } refused)
        {
            return refused;
        }

        var hidden = string.Concat(new[] { "client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge", "code_challenge_method" }
            .Where(query.ContainsKey)
            .Select(k => $"<input type=\"hidden\" name=\"{k}\" value=\"{WebUtility.HtmlEncode(query[k].ToString())}\">"));
        var message = error is null ? string.Empty : $"<p id=\"input-error\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>";
        return Results.Content(
            $"""
            <!doctype html><html><head><meta charset="utf-8"><title>Sign in to {WebUtility.HtmlEncode(Realm)}</title></head>
            <body><h1>Sign in to your account</h1>{message}
            <form id="kc-form-login" method="post">{hidden}
            <label>Username or email <input id="username" name="username" autocomplete="username"></label>
            <label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>
            <button id="kc-login" type="submit">Sign In</button></form></body></html>
            """,
            "text/html");
    }

    private async Task<IResult> LoginAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var query = new QueryCollection(form.ToDictionary(f => f.Key, f => f.Value));
        if (CheckAuthorizationRequest(query) is { } refused)
        {
            return refused;
        }

        var name = form["username"].ToString();
        var user = _users.Values.FirstOrDefault(u => string.Equals(u.Username, name, StringComparison.OrdinalIgnoreCase) || string.Equals(u.Email, name, StringComparison.OrdinalIgnoreCase));
        if (user?.Password is null || user.Password != form["password"].ToString() || !user.Enabled)
        {
            return LoginPage(query, "Invalid username or password.");
        }

        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        _codes[code] = new PendingCode(form["client_id"]!, form["redirect_uri"]!, form["code_challenge"]!, user.Id, form["nonce"].FirstOrDefault(), DateTimeOffset.UtcNow + CodeLifetime);
        var redirect = QueryHelpers.AddQueryString(form["redirect_uri"]!, new Dictionary<string, string?> { ["state"] = form["state"].FirstOrDefault(), ["session_state"] = Guid.NewGuid().ToString(), ["iss"] = Issuer, ["code"] = code });
        return Results.Redirect(redirect);
    }

    /// <summary>Keycloak shows an error page (400) for these, and never sends the browser to a redirect URI it does not trust.</summary>
    private IResult? CheckAuthorizationRequest(IQueryCollection query)
    {
        var clientId = query["client_id"].ToString();
        if (!PublicClients.TryGetValue(clientId, out var redirects))
        {
            return ErrorPage("Client not found.");
        }

        var redirectUri = query["redirect_uri"].ToString();
        if (!redirects.Any(allowed => allowed.EndsWith('*') ? redirectUri.StartsWith(allowed[..^1], StringComparison.Ordinal) : redirectUri == allowed))
        {
            return ErrorPage("Invalid parameter: redirect_uri");
        }

        if (query["response_type"] != "code")
        {
            return ErrorPage("Invalid parameter: response_type");
        }

        if (string.IsNullOrEmpty(query["code_challenge_method"]))
        {
            return ErrorPage("Missing parameter: code_challenge_method");
        }

        return query["code_challenge_method"] != "S256" || string.IsNullOrEmpty(query["code_challenge"])
            ? ErrorPage("Invalid parameter: code_challenge_method")
            : null;
    }

    private static IResult ErrorPage(string message) =>
        Results.Content($"<!doctype html><html><body><h1>We are sorry...</h1><p id=\"kc-error-message\">{WebUtility.HtmlEncode(message)}</p></body></html>", "text/html", statusCode: 400);

    private IResult ExchangeCode(HttpContext context, IFormCollection form)
    {
        AllowOrigin(context);
        var code = form["code"].ToString();
        if (!_codes.TryRemove(code, out var pending) || pending.Expires < DateTimeOffset.UtcNow)
        {
            return OAuthError(400, "invalid_grant", "Code not valid");
        }

        if (pending.ClientId != form["client_id"].ToString())
        {
            return OAuthError(400, "invalid_grant", "Code not valid");
        }

        if (pending.RedirectUri != form["redirect_uri"].ToString())
        {
            return OAuthError(400, "invalid_grant", "Incorrect redirect_uri");
        }

        var verifier = form["code_verifier"].ToString();
        var challenge = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        if (string.IsNullOrEmpty(verifier) || challenge != pending.Challenge)
        {
            return OAuthError(400, "invalid_grant", "PKCE verification failed: Code mismatch");
        }

        var user = _users[pending.UserId];
        Interlocked.Increment(ref _tokensIssued);
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = IssueToken(user.Id, user.Email, user.RealmRoles, claims: new Dictionary<string, object?> { ["azp"] = pending.ClientId }),
            ["id_token"] = IssueToken(user.Id, user.Email, user.RealmRoles, audience: pending.ClientId, claims: new Dictionary<string, object?> { ["azp"] = pending.ClientId, ["nonce"] = pending.Nonce, ["typ"] = "ID", ["name"] = $"{user.FirstName} {user.LastName}".Trim() }),
            ["expires_in"] = (int)AccessTokenLifetime.TotalSeconds,
            ["refresh_expires_in"] = 1800,
            ["refresh_token"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)),
            ["token_type"] = "Bearer",
            ["not-before-policy"] = 0,
            ["session_state"] = Guid.NewGuid().ToString(),
            ["scope"] = "openid email profile",
        });
    }

    /// <summary>Keycloak's web origins: a browser on the origin of one of a public client's redirect URIs may call the token endpoint.</summary>
    private void AllowOrigin(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && PublicClients.Values.SelectMany(r => r).Any(r => r.StartsWith(origin + "/", StringComparison.Ordinal) || r == origin))
        {
            context.Response.Headers.AccessControlAllowOrigin = origin;
            context.Response.Headers.AccessControlAllowCredentials = "true";
            context.Response.Headers.Vary = "Origin";
        }
    }
}
