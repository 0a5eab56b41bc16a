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
