using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// SQLite has one writer at a time. With a busy timeout, SQLite itself waits for the lock in short steps; without
/// one, Microsoft.Data.Sqlite retries a busy statement only every 150 ms, which is what a webhook would wait.
/// </summary>
/// <remarks>
/// Pragmas belong to the physical connection, which the pool lends to one <see cref="SqliteConnection"/> after
/// another, and EF opens a connection for every query outside a transaction. So the pragmas run once per physical
/// connection, and afterwards only when a connection last set to the other durability profile is lent to this one
/// (requests flush every commit, workers do not). <c>secure_delete</c> zeroes what a delete or an update leaves
/// behind in the file, so an erased value is gone from its bytes, not only from its rows.
/// </remarks>
internal sealed class SqliteConnectionSetup(bool durable) : DbConnectionInterceptor
{
    private static readonly ConditionalWeakTable<object, StrongBox<bool>> Durability = new();

    private readonly string _pragmas = $"PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; {Synchronous(durable)}";

    private readonly string _synchronous = Synchronous(durable);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (PragmasFor(connection) is not { } pragmas)
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = pragmas;
        command.ExecuteNonQuery();
        Remember(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (PragmasFor(connection) is not { } pragmas)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        Remember(connection);
    }

    private static string Synchronous(bool durable) => $"PRAGMA synchronous = {(durable ? "FULL" : "NORMAL")};";

    /// <summary>What this physical connection still needs: everything when new, the durability when set to the other one, else nothing.</summary>
    private string? PragmasFor(DbConnection connection)
    {
        if (HandleOf(connection) is not { } handle || !Durability.TryGetValue(handle, out var set))
        {
            return _pragmas;
        }

        return set.Value == durable ? null : _synchronous;
    }

    private void Remember(DbConnection connection)
    {
        if (HandleOf(connection) is { } handle)
        {
            Durability.AddOrUpdate(handle, new StrongBox<bool>(durable));
        }
    }

    private static object? HandleOf(DbConnection connection) => (connection as SqliteConnection)?.Handle;
}
