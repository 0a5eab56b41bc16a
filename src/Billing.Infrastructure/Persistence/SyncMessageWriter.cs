using Billing.Application.AccountSync;
using Billing.Application.Common.Messaging;
using Billing.Domain.Accounts;
using Billing.Domain.Accounts.Events;
using Microsoft.EntityFrameworkCore;

using Billing.Infrastructure.Persistence.Records;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Writes what <see cref="SyncPlan"/> decides for an account's events into the caller's transaction: the revenue
/// movements, the e-mails not written before for the same occasion, and the state messages after superseding the
/// account's older undelivered ones to the same targets (each carries the whole state).
/// </summary>
internal sealed class SyncMessageWriter(BillingDbContext db, SyncPlan plan)
{
    public async Task<IReadOnlyList<SyncMessage>> StageAsync(BillingAccount account, IReadOnlyList<AccountEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var planned = plan.For(account, events, now);
        db.RevenueMovements.AddRange(planned.RevenueMovements);
        var messages = new List<SyncMessage>();
        foreach (var notice in planned.Messages.Where(p => p.DeduplicationKey is not null))
        {
            // Each notice once per occasion and address, however often its event is reported.
            var key = notice.DeduplicationKey!;
            if (!db.SyncMessages.Local.Any(m => m.DeduplicationKey == key) && !await db.SyncMessages.AnyAsync(m => m.DeduplicationKey == key, cancellationToken))
            {
                messages.Add(Row(account, notice, now));
            }
        }

        var states = planned.Messages.Where(p => p.DeduplicationKey is null).ToList();
        var targets = states.Select(p => p.Target).Distinct().ToList();
        if (targets.Count > 0)
        {
            await db.SyncMessages
                .Where(m => m.UserId == account.UserId && m.Status == SyncStatus.Pending && targets.Contains(m.Target))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, SyncStatus.Superseded), cancellationToken);
            messages.AddRange(states.Select(p => Row(account, p, now)));
        }

        db.SyncMessages.AddRange(messages);
        return messages;
    }

    private static SyncMessage Row(BillingAccount account, PlannedSync planned, DateTimeOffset now) => new()
    {
        UserId = account.UserId,
        Target = planned.Target,
        AccountVersion = account.Version,
        Payload = planned.Payload,
        DeduplicationKey = planned.DeduplicationKey,
        CreatedAt = now,
        NextAttemptAt = planned.DueAt,
    };
}
