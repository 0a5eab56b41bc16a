using Billing.Application.AccountSync;
using Billing.Application.Common.Messaging;
using Billing.Domain.Accounts;
using Billing.Domain.Accounts.Events;
using Microsoft.EntityFrameworkCore;

using Billing.Infrastructure.Persistence.Records;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Writes what <see cref="SyncPlan"/> decides for an account's events into the caller's transaction: the revenue
/// movements, and the sync messages after superseding the account's older undelivered ones to the same targets
/// (each message carries the whole state).
/// </summary>
internal sealed class SyncMessageWriter(BillingDbContext db, SyncPlan plan)
{
    public async Task<IReadOnlyList<SyncMessage>> StageAsync(BillingAccount account, IReadOnlyList<AccountEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var planned = plan.For(account, events, now);
        db.RevenueMovements.AddRange(planned.RevenueMovements);
        var targets = planned.Messages.Select(p => p.Target).Distinct().ToList();
        if (targets.Count == 0)
        {
            return [];
        }

        await db.SyncMessages
            .Where(m => m.UserId == account.UserId && m.Status == SyncStatus.Pending && targets.Contains(m.Target))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, SyncStatus.Superseded), cancellationToken);
        var messages = planned.Messages
            .Select(p => new SyncMessage { UserId = account.UserId, Target = p.Target, AccountVersion = account.Version, Payload = p.Payload, CreatedAt = now, NextAttemptAt = p.DueAt })
            .ToList();
        db.SyncMessages.AddRange(messages);
        return messages;
    }
}
