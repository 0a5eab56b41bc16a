using System.Text.Json;
using Billing.Infrastructure.Configuration;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;

namespace Billing.Api.Auth;

internal static class AuthorizationSetup
{
    public static void AddBillingPolicies(AuthorizationOptions options, KeycloakOptions keycloak)
    {
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        options.AddPolicy(BillingClaims.AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(keycloak.AdminRole));
        options.AddPolicy(BillingClaims.UsageWriterPolicy, p => p.RequireAuthenticatedUser().RequireRole(keycloak.UsageWriterRole));
    }
}
