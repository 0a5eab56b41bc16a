using Microsoft.Data.Sqlite;

namespace Billing.Sandbox.Databases;

/// <summary>
/// A fresh, empty database for one test fixture: a SQLite file that is deleted afterwards, or a new database on
/// the run's shared PostgreSQL server. <see cref="ConnectionString"/> is what <c>BILLING_DATABASE</c> takes.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _sqliteFile;

    private TestDatabase(string connectionString, string? sqliteFile)
    {
        ConnectionString = connectionString;
        _sqliteFile = sqliteFile;
    }

    public string ConnectionString { get; }

    /// <summary>A new database; null when PostgreSQL is asked for and cannot run here (see <see cref="Postgres.PostgresServer.Unavailable"/>).</summary>
    public static async Task<TestDatabase?> CreateAsync(Database kind, string purpose)
    {
        if (kind == Database.Postgres)
        {
            var server = await SharedPostgres.GetAsync();
            return server is null ? null : new TestDatabase(await server.CreateDatabaseAsync(purpose), null);
        }

        var file = Path.Combine(Path.GetTempPath(), $"billing-{purpose}-{Guid.NewGuid():N}.db");
        return new TestDatabase($"Data Source={file}", file);
    }

    public ValueTask DisposeAsync()
    {
        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
            {
                File.Delete(file);
            }
        }

        return ValueTask.CompletedTask;
    }
}
