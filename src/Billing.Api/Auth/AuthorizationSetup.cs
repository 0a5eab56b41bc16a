using System.Security.Claims;
using System.Text.Json;
using Billing.Infrastructure.Configuration;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Billing.Api.Auth;

internal static class AuthorizationSetup
{
    public static void AddBillingPolicies(AuthorizationOptions options, KeycloakOptions keycloak)
    {
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        options.AddPolicy(BillingClaims.AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(keycloak.AdminRole));
    }
}
