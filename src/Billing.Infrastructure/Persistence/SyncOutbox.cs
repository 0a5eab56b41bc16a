using Billing.Application.AccountSync;
using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Microsoft.EntityFrameworkCore;

using Billing.Infrastructure.Persistence.Records;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// The outbox table. A claim takes due messages of accounts that have no other message of the same target in
/// flight, so one account's states are delivered one at a time, in order, across every replica.
/// </summary>
internal sealed class SyncOutbox(BillingDbContext db, SyncPlan plan, TimeProvider clock) : ISyncOutbox
{
    public async Task<IReadOnlyList<ClaimedMessage>> ClaimDueAsync(string worker, int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        // "+ 0" keeps the check for an earlier message on (user_id, target, status), the account's own few rows;
        // on (status, next_attempt_at) it walked every due message for each candidate, quadratic in the backlog.
        const string Due = """
            SELECT m.id FROM sync_messages m
                WHERE m.status = 'Pending' AND m.next_attempt_at <= @now AND (m.locked_until IS NULL OR m.locked_until < @now)
                  AND NOT EXISTS (
                      SELECT 1 FROM sync_messages o
                      WHERE o.user_id = m.user_id AND o.target = m.target AND o.id <> m.id AND o.locked_until >= @now)
                  AND NOT EXISTS (
                      SELECT 1 FROM sync_messages e
                      WHERE e.user_id = m.user_id AND e.target = m.target AND e.status = 'Pending' AND e.next_attempt_at + 0 <= @now
                        AND (e.created_at < m.created_at OR (e.created_at = m.created_at AND e.account_version < m.account_version)))
                ORDER BY m.next_attempt_at
            """;
        return await Sql.ClaimAsync(
            db, "sync_messages", Due, "target, created_at", worker, lease, max, clock.GetUtcNow(),
            reader => new ClaimedMessage(reader.GetGuid(0), reader.GetInt32(1), Enum.Parse<SyncTarget>(reader.GetString(2)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))),
            cancellationToken);
    }

    public async Task<OutboxEntry?> FindClaimedAsync(Guid id, string worker, CancellationToken cancellationToken)
    {
        var message = await db.SyncMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id && m.LockedBy == worker, cancellationToken);
        return message is null ? null : Entry(message);
    }

    /// <remarks>
    /// One conditional UPDATE: it records nothing for a worker whose claim was taken over, and it leaves a message
    /// that a newer one superseded during the delivery superseded, so no concurrency failure can arise from it.
    /// </remarks>
    public async Task CompleteAsync(Guid id, string worker, string outcome, DateTimeOffset deliveredAt, CancellationToken cancellationToken)
    {
        var kept = Sql.Clip(outcome, SyncMessage.MaxOutcomeLength);
        await db.SyncMessages
            .Where(m => m.Id == id && m.LockedBy == worker)
            .ExecuteUpdateAsync(
                s => s
                    .SetProperty(m => m.Status, m => m.Status == SyncStatus.Pending ? SyncStatus.Delivered : m.Status)
                    .SetProperty(m => m.DeliveredAt, deliveredAt)
                    .SetProperty(m => m.Outcome, kept)
                    .SetProperty(m => m.LastError, (string?)null)
                    .SetProperty(m => m.LockedBy, (string?)null)
                    .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null),
                cancellationToken);
    }

    private static OutboxEntry Entry(SyncMessage m) =>
        new(m.Id, m.UserId, m.Target, m.Status, m.AccountVersion, m.Attempts, m.CreatedAt, m.NextAttemptAt, m.DeliveredAt, m.Outcome, m.LastError, m.Payload);

    public async Task RenewLeasesAsync(string worker, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now + lease;
        await db.SyncMessages
            .Where(m => m.LockedBy == worker && m.LockedUntil != null && m.LockedUntil >= now)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, until), cancellationToken);
    }

    public async Task RecordFailureAsync(Guid id, string worker, string error, DateTimeOffset? retryAt, bool countAttempt, CancellationToken cancellationToken)
    {
        var message = Sql.ErrorText(error);
        var uncounted = countAttempt ? 0 : 1;
        await db.SyncMessages
            .Where(m => m.Id == id && m.LockedBy == worker)
            .ExecuteUpdateAsync(
                s => s
                    .SetProperty(m => m.LastError, message)
                    .SetProperty(m => m.Attempts, m => m.Attempts - uncounted)
                    .SetProperty(m => m.LockedBy, (string?)null)
                    .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null)
                    .SetProperty(m => m.Status, m => m.Status == SyncStatus.Pending && retryAt == null ? SyncStatus.Parked : m.Status)
                    .SetProperty(m => m.NextAttemptAt, retryAt ?? clock.GetUtcNow()),
                cancellationToken);
    }

    public async Task<IReadOnlyList<OutboxEntry>> ListAsync(SyncStatus? status, string? userId, int limit, CancellationToken cancellationToken) =>
        (await db.SyncMessages.AsNoTracking()
            .Where(m => (status == null || m.Status == status) && (userId == null || m.UserId == userId))
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.AccountVersion)
            .Take(limit)
            .ToListAsync(cancellationToken)).Select(Entry).ToList();

    public async Task<int> HurryRetriesAsync(SyncTarget target, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await db.SyncMessages
            .Where(m => m.Target == target && m.Status == SyncStatus.Pending && m.Attempts > 0 && m.NextAttemptAt > now && m.LockedBy == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, now), cancellationToken);
    }

    public void Resend(Billing.Domain.Accounts.BillingAccount account, SyncTarget target)
    {
        ArgumentNullException.ThrowIfNull(account);
        var now = clock.GetUtcNow();
        if (plan.Resend(account, target, now) is not { } planned)
        {
            return;
        }

        db.SyncMessages.Add(new SyncMessage { UserId = account.UserId, Target = target, AccountVersion = account.Version, Payload = planned.Payload, CreatedAt = now, NextAttemptAt = now });
    }

    public async Task<bool> ReplayAsync(Guid id, CancellationToken cancellationToken) =>
        await db.SyncMessages
            .Where(m => m.Id == id && m.Status == SyncStatus.Parked)
            .ExecuteUpdateAsync(
                s => s
                    .SetProperty(m => m.Status, SyncStatus.Pending)
                    .SetProperty(m => m.Attempts, 0)
                    .SetProperty(m => m.NextAttemptAt, clock.GetUtcNow())
                    .SetProperty(m => m.LastError, (string?)null),
                cancellationToken) == 1;

    public async Task<int> CountParkedAsync(SyncTarget target, string reason, CancellationToken cancellationToken) =>
        await ParkedFor(target, reason).CountAsync(cancellationToken);

    public async Task<int> ReplayParkedAsync(SyncTarget target, string reason, CancellationToken cancellationToken) =>
        await ParkedFor(target, reason).ExecuteUpdateAsync(
            s => s
                .SetProperty(m => m.Status, SyncStatus.Pending)
                .SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.NextAttemptAt, clock.GetUtcNow())
                .SetProperty(m => m.LastError, (string?)null),
            cancellationToken);

    private IQueryable<SyncMessage> ParkedFor(SyncTarget target, string reason)
    {
        var prefix = reason + ":";
        return db.SyncMessages.Where(m => m.Target == target && m.Status == SyncStatus.Parked && m.LastError != null && m.LastError.StartsWith(prefix));
    }
}
