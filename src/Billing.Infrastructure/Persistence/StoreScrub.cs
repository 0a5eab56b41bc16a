using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// After an erasure commits, removes what the database files still hold of the erased values. SQLite writes with
/// <c>secure_delete</c> on (freed and overwritten content is zeroed: <see cref="SqliteConnectionSetup"/>), and the
/// write-ahead log, which keeps the pages as they were, is checkpointed into the database and truncated.
/// PostgreSQL keeps old row versions until they are vacuumed: the tables the erasure touched are vacuumed at once
/// (online). What VACUUM cannot reach (the write-ahead log, backups) is said in the README.
/// </summary>
internal sealed class StoreScrub(BillingDbContext db, ILogger<StoreScrub> logger)
{
    /// <summary>The tables an erasure rewrites; a constant, so nothing from outside reaches the statement.</summary>
    private const string VacuumErasedTables = "VACUUM billing_accounts, sync_messages, stripe_events, idempotency_records, user_request_windows";
    private bool _requested;

    public void Request() => _requested = true;

    public void Cancel() => _requested = false;

    /// <summary>Runs once the erasure's transaction committed; outside any transaction, as both commands need.</summary>
    public async Task RunIfRequestedAsync(CancellationToken cancellationToken)
    {
        if (!_requested)
        {
            return;
        }

        _requested = false;
        if (db.Database.IsSqlite())
        {
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                await using var result = await checkpoint.ExecuteReaderAsync(cancellationToken);
                var busy = await result.ReadAsync(cancellationToken) && result.GetInt32(0) != 0;
                if (busy)
                {
                    logger.LogWarning("The write-ahead log could not be truncated after an erasure (a reader held it); the next checkpoint folds it in");
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }

            return;
        }

        await db.Database.ExecuteSqlRawAsync(VacuumErasedTables, cancellationToken);
    }
}
