using Microsoft.Extensions.Configuration;

namespace Billing.Infrastructure.Configuration;

public sealed class KeycloakOptions
{
    public required Uri Url { get; init; }

    public required string Realm { get; init; }

    public required string Audience { get; init; }

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public string? AdminUsername { get; init; }

    public string? AdminPassword { get; init; }

    public string AdminRole { get; init; } = "billing-admin";

    /// <summary>The realm role of the trusted services that may record usage (never given to ordinary users).</summary>
    public string UsageWriterRole { get; init; } = "billing-usage-writer";

    /// <summary>A client whose roles (<c>resource_access.{client}.roles</c>) count beside the realm roles; none by default.</summary>
    public string? RolesClient { get; init; }

    public string Authority => $"{Url.AbsoluteUri.TrimEnd('/')}/realms/{Realm}";

    /// <summary>True when the service may write user attributes: it holds client or admin-user credentials.</summary>
    public bool CanAdminister =>
        (ClientId is not null && ClientSecret is not null) || (AdminUsername is not null && AdminPassword is not null);

    public static KeycloakOptions From(IConfiguration c)
    {
        var rawUrl = Settings.Read(c, "KEYCLOAK_URL", "Keycloak:Url") ?? "http://localhost:8080";
        if (!Uri.TryCreate(rawUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new SettingException("KEYCLOAK_URL", "must be an absolute http(s) URL");
        }

        // Tokens and admin credentials travel to Keycloak: plain http is for a Keycloak on this machine only.
        if (url.Scheme == Uri.UriSchemeHttp && !Settings.IsLoopback(url))
        {
            throw new SettingException("KEYCLOAK_URL", "must use https unless Keycloak runs on loopback");
        }

        var realm = Settings.Read(c, "KEYCLOAK_REALM", "Keycloak:Realm") ?? "billing";
        if (realm.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.')))
        {
            throw new SettingException("KEYCLOAK_REALM", "may hold only letters, digits, '-', '_' and '.'");
        }

        // Half a credential would start "healthy" and then park every delivery: refuse it now, naming what is missing.
        var clientId = Settings.Read(c, "KEYCLOAK_CLIENT_ID", "Keycloak:ClientId");
        var clientSecret = Settings.Read(c, "KEYCLOAK_CLIENT_SECRET", "Keycloak:ClientSecret");
        var adminUser = Settings.Read(c, "KEYCLOAK_ADMIN_USERNAME", "Keycloak:AdminUsername");
        var adminPassword = Settings.Read(c, "KEYCLOAK_ADMIN_PASSWORD", "Keycloak:AdminPassword");
        if ((adminUser is null) != (adminPassword is null))
        {
            throw new SettingException(adminUser is null ? "KEYCLOAK_ADMIN_USERNAME" : "KEYCLOAK_ADMIN_PASSWORD", "is required with " + (adminUser is null ? "KEYCLOAK_ADMIN_PASSWORD" : "KEYCLOAK_ADMIN_USERNAME"));
        }

        if (clientSecret is not null && clientId is null)
        {
            throw new SettingException("KEYCLOAK_CLIENT_ID", "is required with KEYCLOAK_CLIENT_SECRET");
        }

        if (clientId is not null && clientSecret is null && adminUser is null)
        {
            throw new SettingException("KEYCLOAK_CLIENT_SECRET", "is required with KEYCLOAK_CLIENT_ID (or set KEYCLOAK_ADMIN_USERNAME and KEYCLOAK_ADMIN_PASSWORD)");
        }

        return new KeycloakOptions
        {
            Url = url,
            Realm = realm,
            Audience = Settings.Read(c, "KEYCLOAK_AUDIENCE", "Keycloak:Audience") ?? "billing-api",
            ClientId = clientId,
            ClientSecret = clientSecret,
            AdminUsername = adminUser,
            AdminPassword = adminPassword,
            AdminRole = Settings.Read(c, "KEYCLOAK_ADMIN_ROLE", "Keycloak:AdminRole") ?? "billing-admin",
            UsageWriterRole = Settings.Read(c, "KEYCLOAK_USAGE_WRITER_ROLE", "Keycloak:UsageWriterRole") ?? "billing-usage-writer",
            RolesClient = Settings.Read(c, "KEYCLOAK_ROLES_CLIENT", "Keycloak:RolesClient"),
        };
    }
}
