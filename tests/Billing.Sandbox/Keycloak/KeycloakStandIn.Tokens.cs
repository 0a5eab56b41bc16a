using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Billing.Sandbox.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Billing.Sandbox.Keycloak;

/// <summary>The token endpoint: password and client-credentials grants, refresh tokens, and OAuth's error answers.</summary>
public sealed partial class KeycloakStandIn
{
    /// <summary>
    /// Keycloak restarting behind its proxy: the token endpoint answers 503 (the proxy's page, not Keycloak's JSON)
    /// until set back.
    /// </summary>
    public bool TokenEndpointUnavailable { get; set; }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        if (TokenEndpointUnavailable)
        {
            return Results.Text("503 Service Unavailable", "text/html", statusCode: 503);
        }

        var request = context.Request;
        if (!request.HasFormContentType)
        {
            return OAuthError(400, "invalid_request", "Missing form parameter: grant_type");
        }

        var form = await request.ReadFormAsync();
        var (clientId, clientSecret) = ClientCredentials(request, form);
        var grant = form["grant_type"].ToString();
        switch (grant)
        {
            case "client_credentials":
                if (clientId is null || !_clients.TryGetValue(clientId, out var client) || client.Secret != clientSecret)
                {
                    return OAuthError(401, "unauthorized_client", "Invalid client or Invalid client credentials");
                }

                return TokenResponse(IssueToken($"service-account-{clientId}", null, client.ServiceAccountRoles), refresh: false);
            case "password":
                var username = form["username"].ToString();
                var user = _users.Values.FirstOrDefault(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase));
                if (user is null || user.Password is null || user.Password != form["password"].ToString())
                {
                    return OAuthError(401, "invalid_grant", "Invalid user credentials");
                }

                if (clientId is not null && _clients.TryGetValue(clientId, out var passwordClient) && passwordClient.Secret != clientSecret)
                {
                    return OAuthError(401, "unauthorized_client", "Invalid client or Invalid client credentials");
                }

                return TokenResponse(IssueToken(user.Id, user.Email, user.RealmRoles), refresh: true);
            case "authorization_code":
                return ExchangeCode(context, form);
            default:
                return OAuthError(400, "unsupported_grant_type", "Unsupported grant_type");
        }
    }

    private IResult TokenResponse(string token, bool refresh)
    {
        Interlocked.Increment(ref _tokensIssued);
        var body = new Dictionary<string, object>
        {
            ["access_token"] = token,
            ["expires_in"] = (int)AccessTokenLifetime.TotalSeconds,
            ["refresh_expires_in"] = refresh ? 1800 : 0,
            ["token_type"] = "Bearer",
            ["not-before-policy"] = 0,
            ["scope"] = "email profile",
        };
        if (refresh)
        {
            body["refresh_token"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
            body["session_state"] = Guid.NewGuid().ToString();
        }

        return Results.Json(body);
    }

    private static (string? Id, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())).Split(':', 2);
            return (Uri.UnescapeDataString(decoded[0]), decoded.Length > 1 ? Uri.UnescapeDataString(decoded[1]) : null);
        }

        var id = form["client_id"].ToString();
        var secret = form["client_secret"].ToString();
        return (id.Length == 0 ? null : id, secret.Length == 0 ? null : secret);
    }

    private static IResult OAuthError(int status, string error, string description) =>
        Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: status);
}
