using System.Security.Claims;
using System.Text.Json;
using Billing.Infrastructure.Configuration;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Billing.Api.Auth;

/// <summary>Bearer tokens issued by the Keycloak realm, keys from its discovery document.</summary>
internal sealed class ConfigureKeycloakJwtBearer(KeycloakOptions keycloak) : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions options) => Configure(options);

    public void Configure(JwtBearerOptions options)
    {
        options.Authority = keycloak.Authority;
        options.Audience = keycloak.Audience;
        options.MapInboundClaims = false;
        options.RequireHttpsMetadata = keycloak.Url.Scheme == Uri.UriSchemeHttps;
        options.RefreshOnIssuerKeyNotFound = true;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = keycloak.Authority,
            ValidateIssuer = true,
            ValidAudience = keycloak.Audience,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512, SecurityAlgorithms.EcdsaSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = BillingClaims.Subject,
            RoleClaimType = BillingClaims.Role,
        };
        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                // Keycloak puts realm roles in a nested claim: realm_access: { roles: [...] }.
                if (context.Principal?.Identity is ClaimsIdentity identity &&
                    identity.FindFirst("realm_access")?.Value is { } realmAccess)
                {
                    foreach (var role in ReadRoles(realmAccess))
                    {
                        identity.AddClaim(new Claim(BillingClaims.Role, role));
                    }
                }

                if (context.Principal?.FindFirst(BillingClaims.Subject) is null)
                {
                    context.Fail("The token has no subject.");
                }

                return Task.CompletedTask;
            },
        };
    }

    private static IEnumerable<string> ReadRoles(string realmAccess)
    {
        try
        {
            using var doc = JsonDocument.Parse(realmAccess);
            if (doc.RootElement.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array)
            {
                return roles.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).ToList();
            }
        }
        catch (JsonException)
        {
            // A malformed realm_access grants no roles; the token itself was valid and signed.
        }

        return [];
    }
}
