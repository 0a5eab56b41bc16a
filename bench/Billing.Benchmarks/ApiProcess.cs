using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Billing.Benchmarks;

/// <summary>The API as a separate Release process, configured only through its settings, as in production.</summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ApiProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Billing.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Billing.sln not found above the benchmark.");
    }

    public static async Task BuildAsync()
    {
        var root = RepositoryRoot();
        using var build = Process.Start(new ProcessStartInfo("dotnet", $"build -c Release -v quiet -nologo \"{Path.Combine(root, "src", "Billing.Api")}\"") { RedirectStandardOutput = true })!;
        await build.StandardOutput.ReadToEndAsync();
        await build.WaitForExitAsync();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException("Building the API in Release failed.");
        }
    }

    /// <summary>The settings that point the API at the stand-ins, and its database.</summary>
    public static Dictionary<string, string> StandInSettings(string connection, Billing.Sandbox.Stripe.StripeStandIn stripe, Billing.Sandbox.Keycloak.KeycloakStandIn keycloak, Billing.Sandbox.Lago.LagoStandIn lago, string webhookSecret) => new()
    {
        ["BILLING_DATABASE"] = connection,
        ["STRIPE_API_KEY"] = stripe.ApiKey,
        ["STRIPE_API_BASE"] = stripe.BaseUrl.AbsoluteUri,
        ["STRIPE_WEBHOOK_SECRET"] = webhookSecret,
        ["KEYCLOAK_URL"] = keycloak.BaseUrl.AbsoluteUri,
        ["KEYCLOAK_REALM"] = keycloak.Realm,
        ["KEYCLOAK_AUDIENCE"] = keycloak.Audience,
        ["KEYCLOAK_CLIENT_ID"] = "billing-service",
        ["KEYCLOAK_CLIENT_SECRET"] = "secret",
        ["LAGO_API_URL"] = lago.BaseUrl.AbsoluteUri,
        ["LAGO_API_KEY"] = lago.ApiKey,
        ["Billing:Catalog:Tiers:trial:Prices:monthly"] = "100",
        ["Billing:Catalog:Tiers:starter:Prices:monthly"] = "1900",
    };

    public static async Task<ApiProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var root = RepositoryRoot();
        var port = FreePort();
        var dll = Path.Combine(root, "src", "Billing.Api", "bin", "Release", "net10.0", "Billing.Api.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\"")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var api = new ApiProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient { BaseAddress = api.BaseUrl };
        for (var i = 0; i < 120; i++)
        {
            try
            {
                using var live = await http.GetAsync("health/live");
                if (live.IsSuccessStatusCode)
                {
                    return api;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (process.HasExited)
            {
                break;
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException("The API did not start.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
