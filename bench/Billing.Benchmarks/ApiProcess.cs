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
