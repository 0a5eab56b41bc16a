using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Billing.Sandbox.Postgres;

/// <summary>
/// A throw-away PostgreSQL server for tests and benchmarks: <c>BILLING_TEST_POSTGRES</c> when set (a connection
/// string to a server where databases may be created), otherwise one started from the machine's PostgreSQL
/// binaries in a temporary data directory, as the postgres user when running as root (PostgreSQL refuses root).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string? _dataDirectory;
    private readonly string? _binDirectory;
    private int _databases;

    private PostgresServer(string adminConnectionString, string? dataDirectory, string? binDirectory)
    {
        AdminConnectionString = adminConnectionString;
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
    }

    public string AdminConnectionString { get; }

    /// <summary>Why no server could be had, when <see cref="StartAsync"/> returned null.</summary>
    public static string? Unavailable { get; private set; }

    /// <param name="durable">Keep fsync and synchronous commit on, as in production (benchmarks); tests trade them for speed.</param>
    /// <param name="ownerProcessId">The process whose end stops the server (this one by default): a test run killed
    /// half-way leaves no server behind.</param>
    /// <param name="ownServer">Start a server of its own even when BILLING_TEST_POSTGRES names one.</param>
    public static async Task<PostgresServer?> StartAsync(bool durable = false, int? ownerProcessId = null, bool ownServer = false)
    {
        var configured = Environment.GetEnvironmentVariable("BILLING_TEST_POSTGRES");
        if (!ownServer && !string.IsNullOrWhiteSpace(configured))
        {
            return new PostgresServer(configured, null, null);
        }

        var bin = FindBinaries();
        if (bin is null)
        {
            Unavailable = "No PostgreSQL: set BILLING_TEST_POSTGRES or install PostgreSQL (apt-get install postgresql).";
            return null;
        }

        var root = Environment.UserName == "root";
        await StopAbandonedAsync(bin, root);
        var data = Path.Combine(Path.GetTempPath(), $"{DataDirectoryPrefix}{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        if (root)
        {
            await RunAsync("chown", $"postgres {data}");
        }

        var port = FreePort();
        await RunAsync(Path.Combine(bin, "initdb"), $"-D {data} -U postgres --auth=trust -E UTF8 --no-sync", root);
        var socketDir = data;
        var speed = durable ? string.Empty : "-c fsync=off -c full_page_writes=off";
        await RunAsync(
            Path.Combine(bin, "pg_ctl"),
            $"-D {data} -l {data}/server.log -o \"-p {port} -k {socketDir} -c listen_addresses=127.0.0.1 {speed} -c max_connections=200\" -w start",
            root);
        var owner = ownerProcessId ?? Environment.ProcessId;
        await File.WriteAllTextAsync(Path.Combine(data, OwnerFile), owner.ToString(System.Globalization.CultureInfo.InvariantCulture));
        StartWatchdog(owner, bin, data, root);
        return new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true", data, bin);
    }

    private const string DataDirectoryPrefix = "billing-pg-";
    private const string OwnerFile = "billing-owner.pid";

    /// <summary>
    /// A detached shell that waits for the owner to end, then stops the server and removes its data: it outlives a
    /// killed test run, which is exactly when it is needed.
    /// </summary>
    private static void StartWatchdog(int owner, string bin, string data, bool root)
    {
        var stop = root ? $"runuser -u postgres -- {bin}/pg_ctl -D {data} -m immediate -w stop" : $"{bin}/pg_ctl -D {data} -m immediate -w stop";
        var script = $"while kill -0 {owner} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf {data}";
        var start = new ProcessStartInfo("setsid", ["sh", "-c", script])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process.Start(start)?.Dispose();
    }

    /// <summary>Stops and removes servers an earlier run left whose owner is gone (a run killed before its watchdog existed).</summary>
    private static async Task StopAbandonedAsync(string bin, bool root)
    {
        foreach (var data in Directory.GetDirectories(Path.GetTempPath(), DataDirectoryPrefix + "*"))
        {
            var ownerFile = Path.Combine(data, OwnerFile);
            if (!File.Exists(ownerFile) || !int.TryParse(await File.ReadAllTextAsync(ownerFile), out var owner) || IsAlive(owner))
            {
                continue;
            }

            try
            {
                if (File.Exists(Path.Combine(data, "postmaster.pid")))
                {
                    await RunAsync(Path.Combine(bin, "pg_ctl"), $"-D {data} -m immediate -w stop", root);
                }

                Directory.Delete(data, recursive: true);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                // Someone else is cleaning it up (its watchdog, or a parallel run): leave it to them.
            }
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Whether this server still answers on its port.</summary>
    public async Task<bool> IsRunningAsync()
    {
        try
        {
            await using var connection = new Npgsql.NpgsqlConnection(AdminConnectionString + ";Timeout=2;Pooling=false");
            await connection.OpenAsync();
            return true;
        }
        catch (Npgsql.NpgsqlException)
        {
            return false;
        }
    }

    public string? DataDirectory => _dataDirectory;

    /// <summary>A new, empty database on this server.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "billing")
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..6]}";
        await using var connection = new Npgsql.NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        // Each test database has a pool of its own, kept after its app stops: idle connections are closed soon and a
        // pool stays small, so a whole suite never holds more than the server's max_connections.
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, ConnectionIdleLifetime = 10, ConnectionPruningInterval = 2, MaxPoolSize = 40 };
        return builder.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataDirectory is not null && _binDirectory is not null)
        {
            if (Directory.Exists(_dataDirectory))
            {
                await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), $"-D {_dataDirectory} -m immediate -w stop", Environment.UserName == "root");
                Directory.Delete(_dataDirectory, recursive: true);
            }
        }
    }

    private static string? FindBinaries()
    {
        const string Root = "/usr/lib/postgresql";
        if (!Directory.Exists(Root))
        {
            return null;
        }

        return Directory.GetDirectories(Root)
            .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
            .Select(d => Path.Combine(d, "bin"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string arguments, bool asPostgres = false)
    {
        var start = asPostgres
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}")
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {await error} {await output}");
        }
    }
}
