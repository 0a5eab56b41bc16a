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
