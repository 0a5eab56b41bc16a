using System.Security.Claims;
using System.Text.Json;
using Billing.Infrastructure.Configuration;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Billing.Domain.Accounts;
using Microsoft.IdentityModel.JsonWebTokens;
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
        options.Events = new JwtBearerEvents { OnTokenValidated = OnTokenValidated };
    }

    /// <summary>
    /// Roles come only from Keycloak's object-valued <c>realm_access.roles</c> (and, when configured, one client's
    /// <c>resource_access.{client}.roles</c>); whatever the token says under the role claim type itself is removed
    /// first, so no other claim can grant a role. The subject and e-mail must fit what the service stores.
    /// </summary>
    private Task OnTokenValidated(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity)
        {
            context.Fail("The token carries no identity.");
            return Task.CompletedTask;
        }

        if (SubjectProblem(identity.FindFirst(BillingClaims.Subject)?.Value) is { } subjectProblem)
        {
            context.Fail(subjectProblem);
            return Task.CompletedTask;
        }

        if (identity.FindFirst(BillingClaims.Email)?.Value is { Length: > BillingAccount.MaxEmailLength })
        {
            context.Fail($"The token's email is longer than {BillingAccount.MaxEmailLength} characters.");
            return Task.CompletedTask;
        }

        foreach (var forged in identity.FindAll(BillingClaims.Role).ToList())
        {
            identity.RemoveClaim(forged);
        }

        var roles = ReadRoles(identity.FindFirst("realm_access"), null);
        if (keycloak.RolesClient is { } client)
        {
            roles = roles.Concat(ReadRoles(identity.FindFirst("resource_access"), client));
        }

        foreach (var role in roles.Distinct(StringComparer.Ordinal))
        {
            identity.AddClaim(new Claim(BillingClaims.Role, role));
        }

        return Task.CompletedTask;
    }

    /// <summary>Why a subject cannot be a user id here (missing, blank, too long, or with control characters), or null.</summary>
    internal static string? SubjectProblem(string? subject) => subject switch
    {
        null or "" => "The token has no subject.",
        _ when string.IsNullOrWhiteSpace(subject) => "The token's subject is blank.",
        { Length: > BillingClaims.MaxSubjectLength } => $"The token's subject is longer than {BillingClaims.MaxSubjectLength} characters.",
        _ when subject.Any(char.IsControl) => "The token's subject holds control characters.",
        _ => null,
    };

    /// <summary>The role names under <c>roles</c> of an object-valued claim (or of its <paramref name="client"/> member); nothing otherwise.</summary>
    private static IEnumerable<string> ReadRoles(Claim? claim, string? client)
    {
        if (claim is null || claim.ValueType != JsonClaimValueTypes.Json)
        {
            return [];
        }

        try
        {
            using var doc = JsonDocument.Parse(claim.Value);
            var holder = doc.RootElement;
            if (client is not null && holder.ValueKind == JsonValueKind.Object && holder.TryGetProperty(client, out var forClient))
            {
                holder = forClient;
            }
            else if (client is not null)
            {
                return [];
            }

            if (holder.ValueKind == JsonValueKind.Object && holder.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array)
            {
                return roles.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).ToList();
            }
        }
        catch (JsonException)
        {
            // A malformed claim grants no roles; the token itself was valid and signed.
        }

        return [];
    }
}
