using Billing.Application.Common.Messaging;
using Billing.Application.Common.Ports;
using Billing.Application.Common;
using Billing.Domain.Plans;
using Billing.Infrastructure.Configuration;
using Microsoft.Extensions.Options;
using Billing.Domain.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Billing.Infrastructure.Persistence;

internal sealed class BillingAccountRepository(BillingDbContext db, TimeProvider clock) : IBillingAccountRepository
{
    public Task<BillingAccount?> FindAsync(string userId, CancellationToken cancellationToken) =>
        db.Accounts.FirstOrDefaultAsync(a => a.UserId == userId, cancellationToken);

    public Task<BillingAccount?> FindByStripeCustomerAsync(string customerId, CancellationToken cancellationToken) =>
        db.Accounts.FirstOrDefaultAsync(a => a.StripeCustomerId == customerId, cancellationToken);

    public async Task<BillingAccount> GetOrOpenAsync(string userId, string email, CancellationToken cancellationToken)
    {
        if (await FindAsync(userId, cancellationToken) is { } existing)
        {
            return existing;
        }

        // Insert-if-absent in its own statement, so two first requests of one user end with one row and no error.
        var now = clock.GetUtcNow();
        var opened = BillingAccount.Open(userId, email, now);
        var sql = db.Provider == DatabaseProvider.PostgreSql
            ? "INSERT INTO billing_accounts (user_id, email, tier, status, cancel_at_period_end, created_at, updated_at, version) VALUES ({0}, {1}, {2}, {3}, false, {4}, {4}, 0) ON CONFLICT (user_id) DO NOTHING"
            : "INSERT OR IGNORE INTO billing_accounts (user_id, email, tier, status, cancel_at_period_end, created_at, updated_at, version) VALUES ({0}, {1}, {2}, {3}, 0, {4}, {4}, 0)";
        await db.Database.ExecuteSqlRawAsync(
            sql,
            [opened.UserId, opened.Email, opened.Tier.ToString(), opened.Status.ToString(), now.ToUnixTimeMilliseconds()],
            cancellationToken);
        return await db.Accounts.FirstAsync(a => a.UserId == userId, cancellationToken);
    }

    public async Task<BillingAccount> LinkStripeCustomerAsync(string userId, string customerId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.Accounts
            .Where(a => a.UserId == userId && a.StripeCustomerId == null)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(a => a.StripeCustomerId, customerId)
                    .SetProperty(a => a.Version, a => a.Version + 1)
                    .SetProperty(a => a.UpdatedAt, DateTimeOffset.FromUnixTimeMilliseconds(now)),
                cancellationToken);
        // A copy already tracked is stale after the update: refresh it; otherwise one read gives the current row.
        if (db.Accounts.Local.FirstOrDefault(a => a.UserId == userId) is { } tracked)
        {
            await db.Entry(tracked).ReloadAsync(cancellationToken);
            return tracked;
        }

        return await db.Accounts.FirstAsync(a => a.UserId == userId, cancellationToken);
    }
}

/// <summary>
/// Commits a command's changes in one transaction, and with every account whose state changed, the outbox
/// messages that carry that state to Keycloak and Lago: a change and its sync messages are never apart.
/// Older undelivered messages of the same account are superseded, since each message carries the whole state.
/// </summary>
internal sealed class EfUnitOfWork(BillingDbContext db, LagoOptions lago, IOptions<BillingOptions> billing, IOutboxSignal signal, TimeProvider clock) : IUnitOfWork
{
    private const int MaxRebases = 3;

    public Task CommitAsync(CancellationToken cancellationToken) => CommitAsync(0, cancellationToken);

    private async Task CommitAsync(int rebases, CancellationToken cancellationToken)
    {
        var changed = db.ChangeTracker.Entries<BillingAccount>()
            .Where(e => e.State == EntityState.Added || (e.State == EntityState.Modified && (long)e.OriginalValues[nameof(BillingAccount.Version)]! != e.Entity.Version))
            .Select(e => e.Entity)
            .ToList();
        if (changed.Count == 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var messages = new List<SyncMessage>();
        foreach (var account in changed)
        {
            await db.SyncMessages
                .Where(m => m.UserId == account.UserId && m.Status == SyncStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, SyncStatus.Superseded), cancellationToken);
            var payload = AccountSyncPayload.Serialize(account);
            SyncMessage Message(SyncTarget target, DateTimeOffset due) =>
                new() { UserId = account.UserId, Target = target, AccountVersion = account.Version, Payload = payload, CreatedAt = now, NextAttemptAt = due };

            messages.Add(Message(SyncTarget.IdentityDirectory, now));
            if (lago.Enabled)
            {
                messages.Add(Message(SyncTarget.UsageLedger, now));
            }

            // When the grace period of a past-due account runs out its access tier drops with no event from Stripe:
            // a second message, due then, carries that drop to Keycloak.
            if (account.PastDueSince is { } since && account.Status == SubscriptionStatus.PastDue)
            {
                var graceEnds = since + billing.Value.PastDueGracePeriod;
                messages.Add(Message(SyncTarget.IdentityDirectory, graceEnds > now ? graceEnds : now));
            }
        }

        db.SyncMessages.AddRange(messages);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            signal.Notify();
        }
        catch (DbUpdateConcurrencyException conflict) when (rebases < MaxRebases && conflict.Entries.All(e => e.Entity is BillingAccount))
        {
            // Another writer (a webhook, a replica) changed the account first: decide again against its state.
            await transaction.RollbackAsync(cancellationToken);
            foreach (var message in messages)
            {
                db.Entry(message).State = EntityState.Detached;
            }

            foreach (var entry in conflict.Entries)
            {
                var mine = (BillingAccount)entry.Entity;
                entry.State = EntityState.Detached;
                var fresher = await db.Accounts.FirstAsync(a => a.UserId == mine.UserId, cancellationToken);
                mine.RebaseOnto(fresher);
            }

            await CommitAsync(rebases + 1, cancellationToken);
        }
    }

    public void Discard() => db.ChangeTracker.Clear();
}

/// <summary>The account state a sync message was written for, kept for the admin view and audits.</summary>
internal static class AccountSyncPayload
{
    public static string Serialize(BillingAccount account) => System.Text.Json.JsonSerializer.Serialize(new
    {
        user_id = account.UserId,
        version = account.Version,
        tier = account.Tier.ToString().ToLowerInvariant(),
        status = account.Status.ToString(),
        stripe_customer_id = account.StripeCustomerId,
        stripe_subscription_id = account.StripeSubscriptionId,
        current_period_start = account.CurrentPeriodStart,
        current_period_end = account.CurrentPeriodEnd,
    });
}
