using System.Text;
using Billing.Application.Ports;
using Billing.Application.Usage;
using Billing.Infrastructure.Persistence.Records;
using Microsoft.EntityFrameworkCore;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// The usage events table. Acceptance is one multi-row INSERT that skips known transaction ids and returns the new
/// ones (the unique index decides, so two instances accepting the same event keep it once); delivery claims due
/// rows under a lease, oldest first, as the other outboxes do.
/// </summary>
internal sealed class UsageEventStore(BillingDbContext db, TimeProvider clock) : IUsageEventStore
{
    private const string Pending = UsageEventRecord.Pending;

    public async Task<IReadOnlySet<string>> AcceptAsync(IReadOnlyList<UsageEvent> events, DateTimeOffset acceptedAt, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("INSERT INTO usage_events (transaction_id, user_id, subscription_id, code, timestamp, properties, accepted_at, status, attempts, next_attempt_at) VALUES ");
        var parameters = new List<(string, object)>(events.Count * 6 + 1) { ("accepted", acceptedAt.ToUnixTimeMilliseconds()) };
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            sql.Append(i == 0 ? string.Empty : ", ")
                .Append($"(@t{i}, @u{i}, @s{i}, @c{i}, @at{i}, @p{i}, @accepted, '{Pending}', 0, @accepted)");
            parameters.Add(($"t{i}", e.TransactionId));
            parameters.Add(($"u{i}", e.UserId));
            parameters.Add(($"s{i}", e.SubscriptionId));
            parameters.Add(($"c{i}", e.Code));
            parameters.Add(($"at{i}", e.Timestamp.ToUnixTimeMilliseconds()));
            parameters.Add(($"p{i}", e.Properties));
        }

        sql.Append(" ON CONFLICT (transaction_id) DO NOTHING RETURNING transaction_id");
        var inserted = await Sql.QueryAsync(db, sql.ToString(), r => r.GetString(0), cancellationToken, [.. parameters]);
        return inserted.ToHashSet(StringComparer.Ordinal);
    }

    public Task<IReadOnlyList<ClaimedUsageEvent>> ClaimDueAsync(string worker, int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        const string Due = $"""
            SELECT e.id FROM usage_events e
                WHERE e.status = '{Pending}' AND e.next_attempt_at <= @now AND (e.locked_until IS NULL OR e.locked_until < @now)
                ORDER BY e.id
            """;
        return Sql.ClaimAsync(
            db, "usage_events", Due, "accepted_at, transaction_id, user_id, subscription_id, code, timestamp, properties", worker, lease, max, clock.GetUtcNow(),
            r => new ClaimedUsageEvent(
                r.GetInt64(0),
                r.GetInt32(1),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)),
                new UsageEvent(r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)), r.GetString(8))),
            cancellationToken);
    }

    public async Task RenewLeasesAsync(string worker, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now + lease;
        await db.Set<UsageEventRecord>()
            .Where(e => e.LockedBy == worker && e.LockedUntil != null && e.LockedUntil >= now)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.LockedUntil, until), cancellationToken);
    }

    public async Task CompleteAsync(IReadOnlyCollection<string> transactionIds, string worker, DateTimeOffset deliveredAt, CancellationToken cancellationToken)
    {
        if (transactionIds.Count == 0)
        {
            return;
        }

        await db.Set<UsageEventRecord>()
            .Where(e => transactionIds.Contains(e.TransactionId) && e.LockedBy == worker && e.Status == Pending)
            .ExecuteUpdateAsync(
                s => s
                    .SetProperty(e => e.Status, UsageEventRecord.Delivered)
                    .SetProperty(e => e.DeliveredAt, deliveredAt)
                    .SetProperty(e => e.LastError, (string?)null)
                    .SetProperty(e => e.LockedBy, (string?)null)
                    .SetProperty(e => e.LockedUntil, (DateTimeOffset?)null),
                cancellationToken);
    }

    public async Task ParkAsync(IReadOnlyDictionary<string, string> reasons, string worker, CancellationToken cancellationToken)
    {
        foreach (var (transactionId, reason) in reasons)
        {
            var error = Sql.ErrorText(reason);
            await db.Set<UsageEventRecord>()
                .Where(e => e.TransactionId == transactionId && e.LockedBy == worker && e.Status == Pending)
                .ExecuteUpdateAsync(
                    s => s
                        .SetProperty(e => e.Status, UsageEventRecord.Parked)
                        .SetProperty(e => e.LastError, error)
                        .SetProperty(e => e.LockedBy, (string?)null)
                        .SetProperty(e => e.LockedUntil, (DateTimeOffset?)null),
                    cancellationToken);
        }
    }

    public async Task RecordFailureAsync(IReadOnlyCollection<long> ids, string worker, string error, DateTimeOffset? retryAt, bool countAttempt, CancellationToken cancellationToken)
    {
        var message = Sql.ErrorText(error);
        var uncounted = countAttempt ? 0 : 1;
        var next = retryAt ?? clock.GetUtcNow();
        var status = retryAt is null ? UsageEventRecord.Parked : Pending;
        await db.Set<UsageEventRecord>()
            .Where(e => ids.Contains(e.Id) && e.LockedBy == worker && e.Status == Pending)
            .ExecuteUpdateAsync(
                s => s
                    .SetProperty(e => e.Status, status)
                    .SetProperty(e => e.LastError, message)
                    .SetProperty(e => e.NextAttemptAt, next)
                    .SetProperty(e => e.Attempts, e => e.Attempts - uncounted)
                    .SetProperty(e => e.LockedBy, (string?)null)
                    .SetProperty(e => e.LockedUntil, (DateTimeOffset?)null),
                cancellationToken);
    }

    public Task<int> CountPendingAsync(CancellationToken cancellationToken) =>
        db.Set<UsageEventRecord>().CountAsync(e => e.Status == Pending, cancellationToken);
}
