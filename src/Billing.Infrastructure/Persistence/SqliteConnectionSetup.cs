using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// SQLite has one writer at a time. With a busy timeout, SQLite itself waits for the lock in short steps; without
/// one, Microsoft.Data.Sqlite retries a busy statement only every 150 ms, which is what a webhook would wait.
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
