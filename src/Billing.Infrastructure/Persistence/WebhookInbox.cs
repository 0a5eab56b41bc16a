using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Microsoft.EntityFrameworkCore;

using Billing.Infrastructure.Persistence.Records;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// The inbox table. Receipt is an insert-if-absent committed before the webhook answers (see <see cref="InboxWriter"/>); a claim
/// takes the oldest due rows no other worker holds, then the due rest of their lanes (each one UPDATE, on
/// PostgreSQL with FOR UPDATE SKIP LOCKED, so replicas never block or share a row).
/// </summary>
internal sealed class WebhookInbox(BillingDbContext db, InboxWriter writer, TimeProvider clock) : IWebhookInbox
{
    public Task<bool> TryAddAsync(NewInboxEvent evt, CancellationToken cancellationToken) => writer.AddAsync(
        new StripeEventRecord
        {
            Id = evt.Id,
            Type = evt.Type,
            ApiVersion = evt.ApiVersion,
            CreatedAt = evt.CreatedAt,
            ReceivedAt = evt.ReceivedAt,
            Payload = evt.Payload,
            OrderingKey = evt.OrderingKey,
            Status = evt.Ignored ? InboxStatus.Ignored : InboxStatus.Pending,
            NextAttemptAt = evt.ReceivedAt,
            ProcessedAt = evt.Ignored ? evt.ReceivedAt : null,
            Outcome = evt.Ignored ? "Not an event type this service acts on." : null,
        },
        cancellationToken);

    public async Task<IReadOnlyList<ClaimedEvent>> ClaimDueAsync(string worker, int max, TimeSpan lease, TimeSpan gather, CancellationToken cancellationToken)
    {
        // A lane another worker holds stays with it: its later events wait, so one subscription is worked on in one place.
        // "+ 0" keeps the planner on (status, received_at): it walks the oldest first and stops at the batch, instead
        // of sorting every pending event on each claim (170 ms of CPU with 36,000 waiting on renewal day). Whether a
        // candidate's lane is held is one probe of the index of claims by lane (claims in flight only). Tried before:
        // a correlated check by status, which PostgreSQL ran over every pending event per candidate while its
        // statistics said nothing was pending (35 ms a claim in a burst), and a NOT IN over the claims, whose hash
        // PostgreSQL's generic plan sized for a third of the table (1.5 ms a claim at 200 events/s).
        const string Due = """
            SELECT e.id FROM stripe_events e
                WHERE e.status = 'Pending' AND e.next_attempt_at + 0 <= @now AND (e.locked_until IS NULL OR e.locked_until < @now)
                  AND e.received_at <= @gathered
                  AND NOT EXISTS (SELECT 1 FROM stripe_events o WHERE o.ordering_key = e.ordering_key AND o.locked_until >= @now)
                ORDER BY e.received_at
            """;
        var now = clock.GetUtcNow();
        var claimed = await Sql.ClaimAsync(
            db, "stripe_events", Due, Returning, worker, lease, max, now, Claimed, cancellationToken,
            ("gathered", (now - gather).ToUnixTimeMilliseconds()));
        var lanes = claimed.Select(e => e.OrderingKey).OfType<string>().Distinct().ToList();

        // A claim that took fewer than it could took every due event of its lanes already (they were candidates,
        // held by no one): looking for lane-mates would find none, and cost the store a query per claim. Not so while
        // gathering: the lanes' younger events were no candidates.
        if (lanes.Count == 0 || (claimed.Count < max && gather <= TimeSpan.Zero))
        {
            return claimed;
        }

        // The rest of each lane that is due comes along, so a subscription's backlog is applied together in one
        // unit of work instead of one event per claim (a lane held here is held from every other worker already).
        var keys = string.Join(", ", lanes.Select((_, i) => $"@lane{i}"));
        // "+ 0" and no ORDER BY keep this on (ordering_key, status), the lanes' own rows (the worker orders a lane).
        var laneMates = $"""
            SELECT e.id FROM stripe_events e
                WHERE e.ordering_key IN ({keys}) AND e.status = 'Pending' AND e.next_attempt_at + 0 <= @now AND (e.locked_until IS NULL OR e.locked_until < @now)
            """;
        var mates = await Sql.ClaimAsync(
            db, "stripe_events", laneMates, Returning, worker, lease, max * LaneMatesPerEvent, now, Claimed, cancellationToken,
            [.. lanes.Select((lane, i) => ($"lane{i}", (object)lane))]);
        return [.. claimed, .. mates];
    }

    /// <summary>How many more events of its lane one claimed event brings along at most (renewal day sends seven).</summary>
    private const int LaneMatesPerEvent = 8;

    /// <summary>
    /// What a claim returns of each event. The last is its insertion sequence, which orders two deliveries of a lane
    /// received in the same millisecond: SQLite's rowid, PostgreSQL's identity column (see
    /// <see cref="PostgresBillingDbContext"/>). Deliveries that did not overlap were inserted in the order received.
    /// </summary>
    private string Returning => $"received_at, ordering_key, {(db.Provider == DatabaseProvider.PostgreSql ? PostgresBillingDbContext.ReceiptSequenceColumn : "rowid")}";

    private static ClaimedEvent Claimed(System.Data.Common.DbDataReader reader) =>
        new(reader.GetString(0), reader.GetInt32(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4));

    public async Task<InboxEntry?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var record = await db.StripeEvents.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        return record is null ? null : Entry(record);
    }

    public async Task<InboxEntry?> FindClaimedAsync(string id, string worker, CancellationToken cancellationToken)
    {
        var record = db.StripeEvents.Local.FirstOrDefault(e => e.Id == id && e.Status == InboxStatus.Pending && e.LockedBy == worker)
            ?? await db.StripeEvents.FirstOrDefaultAsync(e => e.Id == id && e.Status == InboxStatus.Pending && e.LockedBy == worker, cancellationToken);
        return record is null ? null : Entry(record);
    }

    /// <remarks>By id alone, on the primary key: with the status in the query, SQLite walked every pending event
    /// instead. <see cref="FindClaimedAsync"/> still checks that the worker holds a loaded event.</remarks>
    public async Task LoadAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        await db.StripeEvents.Where(e => ids.Contains(e.Id)).LoadAsync(cancellationToken);

    /// <remarks>The record stays tracked: the unit of work commits it with the account, and its status and claim are
    /// concurrency tokens, so a worker whose lease was taken over cannot commit.</remarks>
    public async Task CompleteAsync(string id, string worker, string outcome, DateTimeOffset processedAt, CancellationToken cancellationToken)
    {
        var record = db.StripeEvents.Local.FirstOrDefault(e => e.Id == id && e.LockedBy == worker)
            ?? await db.StripeEvents.FirstAsync(e => e.Id == id && e.LockedBy == worker, cancellationToken);
        record.Status = InboxStatus.Processed;
        record.ProcessedAt = processedAt;
        record.Outcome = Sql.Clip(outcome, Sql.MaxOutcomeLength);
        record.LastError = null;
        record.LockedUntil = null;
    }

    private static InboxEntry Entry(StripeEventRecord e) =>
        new(e.Id, e.Type, e.Payload, e.Status, e.Attempts, e.ReceivedAt, e.NextAttemptAt, e.ProcessedAt, e.Outcome, e.LastError, e.CreatedAt);

    public async Task RenewLeasesAsync(string worker, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now + lease;
        await db.StripeEvents
            .Where(e => e.LockedBy == worker && e.LockedUntil != null && e.LockedUntil >= now)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.LockedUntil, until), cancellationToken);
    }

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

    public async Task<IReadOnlyList<InboxEntry>> ListAsync(InboxStatus? status, int limit, CancellationToken cancellationToken) =>
        (await db.StripeEvents.AsNoTracking()
            .Where(e => status == null || e.Status == status)
            .OrderByDescending(e => e.ReceivedAt)
            .Take(limit)
            .ToListAsync(cancellationToken)).Select(Entry).ToList();

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
