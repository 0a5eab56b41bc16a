using Billing.Sandbox.Postgres;

namespace Billing.Sandbox.Databases;

/// <summary>One PostgreSQL server for a whole test run; each test database is a database of its own on it.</summary>
public static class SharedPostgres
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? _server;

    /// <summary>The server, started on first use; null (with <see cref="PostgresServer.Unavailable"/> saying why) when none can run here.</summary>
    public static async Task<PostgresServer?> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _server ??= await PostgresServer.StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task StopAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
                _server = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
