using Billing.Application.AccountSync;
using Billing.Application.Common.Messaging;
using Billing.Domain.Accounts;
using Microsoft.EntityFrameworkCore;

using Billing.Infrastructure.Persistence.Records;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Writes the messages <see cref="SyncPlan"/> decides for an account change into the caller's transaction, after
/// superseding the account's older undelivered ones (each message carries the whole state).
/// </summary>
internal sealed class SyncMessageWriter(BillingDbContext db, SyncPlan plan)
{
    public async Task<IReadOnlyList<SyncMessage>> StageAsync(BillingAccount account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.SyncMessages
            .Where(m => m.UserId == account.UserId && m.Status == SyncStatus.Pending && m.Target != SyncTarget.Notification)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, SyncStatus.Superseded), cancellationToken);
        var messages = plan.For(account, now)
            .Select(p => new SyncMessage { UserId = account.UserId, Target = p.Target, AccountVersion = account.Version, Payload = p.Payload, CreatedAt = now, NextAttemptAt = p.DueAt })
            .ToList();
        db.SyncMessages.AddRange(messages);
        return messages;
    }
}
