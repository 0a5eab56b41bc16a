using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// SQLite has one writer at a time. With a busy timeout, SQLite itself waits for the lock in short steps; without
/// one, Microsoft.Data.Sqlite retries a busy statement only every 150 ms, which is what a webhook would wait.
/// </summary>
/// Pooled connections keep their pragmas, so each open sets the durability of its profile explicitly.
/// <c>secure_delete</c> zeroes what a delete or an update leaves behind in the file, so an erased value is gone from
/// its bytes, not only from its rows.
internal sealed class SqliteConnectionSetup(bool durable) : DbConnectionInterceptor
{
    private readonly string _pragmas = $"PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA synchronous = {(durable ? "FULL" : "NORMAL")};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
