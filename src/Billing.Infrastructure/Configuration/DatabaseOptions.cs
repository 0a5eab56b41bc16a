using Microsoft.Extensions.Configuration;

namespace Billing.Infrastructure.Configuration;

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
