using Billing.Application.Common;
using Billing.Application.Common.Messaging;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Billing.Infrastructure.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

using Billing.Infrastructure.Persistence.Records;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Stages the sync messages of an account change in the caller's transaction: older undelivered messages of the
/// account are superseded (each message carries the whole state), then one per target is added, and for a
/// past-due account one more, due when its grace period ends, since access then drops without any Stripe event.
/// </summary>
internal sealed class SyncMessageWriter(BillingDbContext db, LagoOptions lago, IOptions<BillingOptions> billing)
{
    public async Task<IReadOnlyList<SyncMessage>> StageAsync(BillingAccount account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.SyncMessages
            .Where(m => m.UserId == account.UserId && m.Status == SyncStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, SyncStatus.Superseded), cancellationToken);
        var payload = AccountSyncPayload.Serialize(account);
        SyncMessage Message(SyncTarget target, DateTimeOffset due) =>
            new() { UserId = account.UserId, Target = target, AccountVersion = account.Version, Payload = payload, CreatedAt = now, NextAttemptAt = due };

        var messages = new List<SyncMessage> { Message(SyncTarget.IdentityDirectory, now) };
        if (lago.Enabled)
        {
            messages.Add(Message(SyncTarget.UsageLedger, now));
        }

        if (account.PastDueSince is { } since && account.Status == SubscriptionStatus.PastDue)
        {
            var graceEnds = since + billing.Value.PastDueGracePeriod;
            messages.Add(Message(SyncTarget.IdentityDirectory, graceEnds > now ? graceEnds : now));
        }

        db.SyncMessages.AddRange(messages);
        return messages;
    }
}
