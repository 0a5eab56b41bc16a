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

        return new KeycloakOptions
        {
            Url = url,
            Realm = realm,
            Audience = Settings.Read(c, "KEYCLOAK_AUDIENCE", "Keycloak:Audience") ?? "billing-api",
            ClientId = Settings.Read(c, "KEYCLOAK_CLIENT_ID", "Keycloak:ClientId"),
            ClientSecret = Settings.Read(c, "KEYCLOAK_CLIENT_SECRET", "Keycloak:ClientSecret"),
            AdminUsername = Settings.Read(c, "KEYCLOAK_ADMIN_USERNAME", "Keycloak:AdminUsername"),
            AdminPassword = Settings.Read(c, "KEYCLOAK_ADMIN_PASSWORD", "Keycloak:AdminPassword"),
            AdminRole = Settings.Read(c, "KEYCLOAK_ADMIN_ROLE", "Keycloak:AdminRole") ?? "billing-admin",
        };
    }
}
