using System.Security.Claims;
using Billing.Infrastructure.Configuration;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Billing.Api.Auth;

public static class BillingClaims
{
    public const string Subject = "sub";
    public const string Email = "email";
    /// <summary>
    /// The claim type the service gives the roles it read from <c>realm_access</c>; any claim of this type in the
    /// token itself is removed before, so a token cannot name its own roles.
    /// </summary>
    public const string Role = "urn:billing:role";

    /// <summary>The longest subject stored as a user id.</summary>
    public const int MaxSubjectLength = 128;
    public const string AdminPolicy = "billing-admin";
    public const string UsageWriterPolicy = "billing-usage-writer";

    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(Subject) ?? throw new InvalidOperationException("An authenticated caller has no sub claim.");

    public static string? OptionalUserId(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirstValue(Subject) : null;

    public static string EmailAddress(this ClaimsPrincipal user) => user.FindFirstValue(Email) ?? string.Empty;

    /// <summary>The roles the service read from the token's <c>realm_access</c> (see <see cref="Role"/>).</summary>
    public static IReadOnlyCollection<string> Roles(this ClaimsPrincipal user) =>
        user.FindAll(Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
}
