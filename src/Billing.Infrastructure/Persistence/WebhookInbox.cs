using System.Data.Common;
using Billing.Application.Common.Messaging;
using Billing.Application.Common.Ports;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// The inbox table. Receipt is an insert-if-absent committed before the webhook answers (see <see cref="InboxWriter"/>); claims are one UPDATE that
/// takes due rows no other worker holds (on PostgreSQL with FOR UPDATE SKIP LOCKED, so replicas never block or
/// share a row).
/// </summary>
internal sealed class WebhookInbox(BillingDbContext db, InboxWriter writer, TimeProvider clock) : IWebhookInbox
{
    public Task<bool> TryAddAsync(StripeEventRecord record, CancellationToken cancellationToken) => writer.AddAsync(record, cancellationToken);

    public async Task<IReadOnlyList<ClaimedEvent>> ClaimDueAsync(string worker, int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        const string Due = """
            SELECT id FROM stripe_events
                WHERE status = 'Pending' AND next_attempt_at <= @now AND (locked_until IS NULL OR locked_until < @now)
                ORDER BY received_at
            """;
        return await Sql.ClaimAsync(db, "stripe_events", Due, worker, lease, max, clock.GetUtcNow(), reader => new ClaimedEvent(reader.GetString(0), reader.GetInt32(1)), cancellationToken);
    }

    public Task<StripeEventRecord?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.StripeEvents.FirstOrDefaultAsync(e => e.Id == id, cancellationToken);

    public async Task RecordFailureAsync(string id, string worker, string error, DateTimeOffset? retryAt, bool countAttempt, CancellationToken cancellationToken)
    {
        var message = Sql.ErrorText(error);
        var uncounted = countAttempt ? 0 : 1;
        await db.StripeEvents
            .Where(e => e.Id == id && e.LockedBy == worker && e.Status == InboxStatus.Pending)
            .ExecuteUpdateAsync(
                s => s
                    .SetProperty(e => e.LastError, message)
                    .SetProperty(e => e.Attempts, e => e.Attempts - uncounted)
                    .SetProperty(e => e.LockedBy, (string?)null)
                    .SetProperty(e => e.LockedUntil, (DateTimeOffset?)null)
                    .SetProperty(e => e.Status, retryAt is null ? InboxStatus.Failed : InboxStatus.Pending)
                    .SetProperty(e => e.NextAttemptAt, retryAt ?? clock.GetUtcNow()),
                cancellationToken);
    }

    public async Task<IReadOnlyList<StripeEventRecord>> ListAsync(InboxStatus? status, int limit, CancellationToken cancellationToken) =>
        await db.StripeEvents.AsNoTracking()
            .Where(e => status == null || e.Status == status)
            .OrderByDescending(e => e.ReceivedAt)
            .Take(limit)
            .ToListAsync(cancellationToken);

    public async Task<bool> ReplayAsync(string id, CancellationToken cancellationToken) =>
        await db.StripeEvents
            .Where(e => e.Id == id)
            .ExecuteUpdateAsync(
                s => s
                    .SetProperty(e => e.Status, InboxStatus.Pending)
                    .SetProperty(e => e.Attempts, 0)
                    .SetProperty(e => e.NextAttemptAt, clock.GetUtcNow())
                    .SetProperty(e => e.LockedBy, (string?)null)
                    .SetProperty(e => e.LockedUntil, (DateTimeOffset?)null)
                    .SetProperty(e => e.LastError, (string?)null),
                cancellationToken) == 1;
}

/// <summary>Plain ADO.NET on the context's connection, for the statements EF cannot express (UPDATE … RETURNING).</summary>
internal static class Sql
{
    /// <summary>The longest <c>last_error</c> the inbox and outbox tables keep.</summary>
    public const int MaxErrorLength = 2000;

    public static string ErrorText(string error) => error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;

    /// <summary>
    /// The lease protocol of the inbox and the outbox: takes up to <paramref name="max"/> of the rows that
    /// <paramref name="candidates"/> selects (a <c>SELECT id …</c> that may use <c>@now</c>), in its order, for
    /// <paramref name="worker"/> until the lease ends, counting the attempt; PostgreSQL skips rows another replica
    /// is claiming at that moment. Returns each claimed id with its attempts.
    /// </summary>
    public static Task<IReadOnlyList<T>> ClaimAsync<T>(BillingDbContext db, string table, string candidates, string worker, TimeSpan lease, int max, DateTimeOffset now, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var skipLocked = db.Provider == DatabaseProvider.PostgreSql ? "FOR UPDATE SKIP LOCKED" : string.Empty;
        var sql = $"""
            UPDATE {table} SET locked_by = @worker, locked_until = @until, attempts = attempts + 1
            WHERE id IN ({candidates}
                LIMIT @max {skipLocked})
            RETURNING id, attempts
            """;
        return QueryAsync(
            db,
            sql,
            read,
            cancellationToken,
            ("worker", worker),
            ("until", now.Add(lease).ToUnixTimeMilliseconds()),
            ("now", now.ToUnixTimeMilliseconds()),
            ("max", max));
    }

    public static async Task<IReadOnlyList<T>> QueryAsync<T>(BillingDbContext db, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }

            var results = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                results.Add(read(reader));
            }

            return results;
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
