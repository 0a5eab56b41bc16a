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

    private static readonly string[] Columns = ["transaction_id", "user_id", "subscription_id", "code", "timestamp", "properties", "accepted_at", "status", "attempts", "next_attempt_at"];

    public Task<IReadOnlySet<string>> AcceptAsync(IReadOnlyList<UsageEvent> events, DateTimeOffset acceptedAt, CancellationToken cancellationToken)
    {
        var accepted = acceptedAt.ToUnixTimeMilliseconds();
        var rows = events.Select(e => new object?[] { e.TransactionId, e.UserId, e.SubscriptionId, e.Code, e.Timestamp.ToUnixTimeMilliseconds(), e.Properties, accepted, Pending, 0, accepted }).ToList();
        return Sql.InsertNewAsync(db, "usage_events", Columns, rows, "transaction_id", cancellationToken);
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
