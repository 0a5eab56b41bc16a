using System.Net;
using Microsoft.Extensions.Configuration;

namespace Billing.Infrastructure.Configuration;

/// <summary>
/// The seed's environment variable names, each read as it is (so an existing .env keeps working) before the
/// matching key of the normal configuration sections. The first one set wins.
/// </summary>
public static class Settings
{
    public static string? Read(IConfiguration configuration, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var key in keys)
        {
            var value = configuration[key];
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        return null;
    }

    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
}

public sealed class StripeOptions
{
    public string? ApiKey { get; set; }

    /// <summary>Every webhook signing secret accepted now; more than one during a rotation.</summary>
    public IReadOnlyList<string> WebhookSecrets { get; set; } = [];

    /// <summary>A Stripe-compatible base URL (a stand-in); Stripe's own when unset.</summary>
    public Uri? ApiBase { get; set; }

    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromSeconds(300);

    public static StripeOptions From(IConfiguration c)
    {
        var secrets = Settings.Read(c, "STRIPE_WEBHOOK_SECRET", "Stripe:WebhookSecret") ?? string.Empty;
        var apiBase = Settings.Read(c, "STRIPE_API_BASE", "Stripe:ApiBase");
        return new StripeOptions
        {
            ApiKey = Settings.Read(c, "STRIPE_API_KEY", "STRIPE_SECRET_KEY", "Stripe:ApiKey"),
            WebhookSecrets = secrets.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            ApiBase = apiBase is null ? null : Uri.TryCreate(apiBase, UriKind.Absolute, out var u) ? u : throw new SettingException("STRIPE_API_BASE", "must be an absolute URL"),
        };
    }
}

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

public sealed class LagoOptions
{
    public Uri? ApiUrl { get; init; }

    public string? ApiKey { get; init; }

    /// <summary>Lago plan code per tier; a tier without one has no Lago subscription mirrored.</summary>
    public IReadOnlyDictionary<string, string> PlanCodes { get; init; } = new Dictionary<string, string>();

    /// <summary>The code of Lago's Stripe connection, needed when Lago has several (LAGO_STRIPE_PROVIDER_CODE).</summary>
    public string? StripeProviderCode { get; init; }

    public bool Enabled => ApiUrl is not null;

    public static LagoOptions From(IConfiguration c)
    {
        var raw = Settings.Read(c, "LAGO_API_URL", "Lago:ApiUrl");
        Uri? url = null;
        if (raw is not null && (!Uri.TryCreate(raw, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            throw new SettingException("LAGO_API_URL", "must be an absolute http(s) URL");
        }

        var key = Settings.Read(c, "LAGO_API_KEY", "Lago:ApiKey");
        if (url is not null && key is null)
        {
            throw new SettingException("LAGO_API_KEY", "is required when LAGO_API_URL is set");
        }

        return new LagoOptions
        {
            ApiUrl = url,
            ApiKey = key,
            StripeProviderCode = Settings.Read(c, "LAGO_STRIPE_PROVIDER_CODE", "Lago:StripeProviderCode"),
            PlanCodes = c.GetSection("Lago:PlanCodes").GetChildren()
                .Where(s => !string.IsNullOrWhiteSpace(s.Value))
                .ToDictionary(s => s.Key.ToLowerInvariant(), s => s.Value!),
        };
    }
}

public sealed class DatabaseOptions
{
    public required string ConnectionString { get; init; }

    public required Persistence.DatabaseProvider Provider { get; init; }

    public static DatabaseOptions From(IConfiguration c, string contentRoot)
    {
        var raw = Settings.Read(c, "BILLING_DATABASE", "ConnectionStrings:Billing");
        if (raw is null)
        {
            return new DatabaseOptions
            {
                ConnectionString = $"Data Source={Path.Combine(contentRoot, "billing.db")}",
                Provider = Persistence.DatabaseProvider.Sqlite,
            };
        }

        if (raw.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || raw.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new DatabaseOptions { ConnectionString = FromPostgresUri(raw), Provider = Persistence.DatabaseProvider.PostgreSql };
        }

        var isPostgres = raw.Contains("Host=", StringComparison.OrdinalIgnoreCase) || raw.Contains("Server=", StringComparison.OrdinalIgnoreCase);
        var isSqlite = raw.Contains("Data Source=", StringComparison.OrdinalIgnoreCase) || raw.Contains("DataSource=", StringComparison.OrdinalIgnoreCase) || raw.Contains("Filename=", StringComparison.OrdinalIgnoreCase);
        if (isPostgres == isSqlite)
        {
            throw new SettingException("BILLING_DATABASE", "must be a PostgreSQL connection string (Host=…) or URI (postgres://…), or a SQLite one (Data Source=…)");
        }

        return new DatabaseOptions { ConnectionString = raw, Provider = isPostgres ? Persistence.DatabaseProvider.PostgreSql : Persistence.DatabaseProvider.Sqlite };
    }

    private static string FromPostgresUri(string raw)
    {
        var uri = new Uri(raw);
        var userInfo = uri.UserInfo.Split(':', 2);
        var parts = new List<string> { $"Host={uri.Host}", $"Port={(uri.Port > 0 ? uri.Port : 5432)}", $"Database={uri.AbsolutePath.TrimStart('/')}" };
        if (userInfo[0].Length > 0)
        {
            parts.Add($"Username={Uri.UnescapeDataString(userInfo[0])}");
        }

        if (userInfo.Length > 1)
        {
            parts.Add($"Password={Uri.UnescapeDataString(userInfo[1])}");
        }

        return string.Join(';', parts);
    }
}

/// <summary>A setting that is missing or wrong; the message names it, never its value.</summary>
public sealed class SettingException(string setting, string problem)
    : Exception($"Configuration setting {setting} {problem}.")
{
    public string Setting { get; } = setting;
}
