using System.Net;
using Billing.Application.Common;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.ResponseCompression;

namespace Billing.Api.Infrastructure;

/// <summary>
/// How browsers and proxies reach the API: the SPA's origins (<c>BILLING_CORS_ORIGINS</c>, none by default) get
/// CORS, with preflights answered before authentication; proxies named in <c>BILLING_FORWARDED_HEADERS</c> may say
/// who the client is and which scheme it used; JSON answers are compressed.
/// </summary>
internal static class BrowserAccess
{
    public const string CorsOriginsSetting = "BILLING_CORS_ORIGINS";
    public const string ForwardedHeadersSetting = "BILLING_FORWARDED_HEADERS";
    public const string SpaPolicy = "spa";

    /// <summary>What a SPA needs to read from an answer besides the safelisted headers.</summary>
    private static readonly string[] ExposedHeaders = ["Retry-After", "Idempotent-Replayed", "Location"];

    public static IServiceCollection AddBrowserAccess(this IServiceCollection services, IConfiguration configuration)
    {
        // Read when the options are first asked for: at start, by CheckSettings.
        services.AddCors(o => o.AddPolicy(SpaPolicy, policy =>
        {
            policy.WithOrigins(Origins(configuration[CorsOriginsSetting]))
                .WithMethods("GET", "POST", "PUT", "DELETE")
                .WithHeaders("Authorization", "Content-Type", "Idempotency-Key")
                .WithExposedHeaders(ExposedHeaders)
                .SetPreflightMaxAge(TimeSpan.FromHours(1));
        }));

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

            // Only the proxies named are believed; with none named, no forwarded header is.
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var proxy in Proxies(configuration[ForwardedHeadersSetting]))
            {
                o.KnownIPNetworks.Add(proxy);
            }
        });

        services.AddResponseCompression(o =>
        {
            // The answers carry no secret an attacker could guess byte by byte, so compression over TLS is safe.
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ["application/json", "application/problem+json", "text/html", "text/css", "application/javascript", "text/plain"];
        });
        return services;
    }

    /// <summary>Reads both settings, so a malformed one stops the start naming it rather than failing the first request.</summary>
    public static void CheckSettings(IServiceProvider services)
    {
        _ = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>>().Value.GetPolicy(SpaPolicy);
        _ = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
    }

    /// <summary>Before anything else reads the client's address or scheme: forwarded headers, then compression.</summary>
    public static WebApplication UseForwardedClient(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseResponseCompression();
        return app;
    }

    private static string[] Origins(string? setting)
    {
        var origins = Split(setting);
        foreach (var origin in origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || origin.EndsWith('/') || !string.IsNullOrEmpty(uri.Query))
            {
                throw new InvalidSettingException(CorsOriginsSetting, "must list origins such as https://app.example.com (scheme, host and port only), separated by commas");
            }
        }

        return origins;
    }

    private static List<System.Net.IPNetwork> Proxies(string? setting)
    {
        var proxies = new List<System.Net.IPNetwork>();
        foreach (var entry in Split(setting))
        {
            if (System.Net.IPNetwork.TryParse(entry, out var network))
            {
                proxies.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                proxies.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new InvalidSettingException(ForwardedHeadersSetting, "must list proxy addresses or networks (10.0.0.5, 10.0.0.0/8), separated by commas");
            }
        }

        return proxies;
    }

    private static string[] Split(string? setting) =>
        (setting ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
