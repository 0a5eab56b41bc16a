using Billing.Application.Ports;
using Billing.Domain.Plans;
using Billing.Infrastructure.Configuration;
using Microsoft.Extensions.Options;
using Billing.Domain.Accounts;
using Billing.Domain.Accounts.Events;
using Microsoft.EntityFrameworkCore;

namespace Billing.Infrastructure.Persistence;

internal sealed class BillingAccountRepository(BillingDbContext db, SyncMessageWriter syncMessages, IOutboxSignal signal, TimeProvider clock) : IBillingAccountRepository
{
    // An account this unit of work already holds is the one it changes: a lane's later events find it without a read.
    public async Task<BillingAccount?> FindAsync(string userId, CancellationToken cancellationToken) =>
        db.Accounts.Local.FirstOrDefault(a => a.UserId == userId) ?? await db.Accounts.FirstOrDefaultAsync(a => a.UserId == userId, cancellationToken);

    public async Task<BillingAccount?> FindByStripeCustomerAsync(string customerId, CancellationToken cancellationToken) =>
        db.Accounts.Local.FirstOrDefault(a => a.StripeCustomerId == customerId) ?? await db.Accounts.FirstOrDefaultAsync(a => a.StripeCustomerId == customerId, cancellationToken);

    private static readonly SubscriptionStatus[] Live = [SubscriptionStatus.Active, SubscriptionStatus.Trialing, SubscriptionStatus.PastDue, SubscriptionStatus.Unpaid, SubscriptionStatus.Paused, SubscriptionStatus.Incomplete];

    public async Task<IReadOnlyList<BillingAccount>> LiveInCurrencyAsync(string currency, CancellationToken cancellationToken) =>
        await db.Accounts.AsNoTracking()
            .Where(a => a.Currency == currency && a.StripeSubscriptionId != null && Live.Contains(a.Status))
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyDictionary<string, string>> LiveSubscriptionsAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken) =>
        await db.Accounts.AsNoTracking()
            .Where(a => userIds.Contains(a.UserId) && a.StripeSubscriptionId != null && Live.Contains(a.Status))
            .ToDictionaryAsync(a => a.UserId, a => a.StripeSubscriptionId!, cancellationToken);

    public async Task<IReadOnlyList<AccountLink>> ListLinksAsync(CancellationToken cancellationToken) =>
        await db.Accounts.AsNoTracking().OrderBy(a => a.UserId).Select(a => new AccountLink(a.UserId, a.StripeCustomerId)).ToListAsync(cancellationToken);

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
            ? "INSERT INTO billing_accounts (user_id, email, tier, status, cancel_at_period_end, free_trial_used, created_at, updated_at, version) VALUES ({0}, {1}, {2}, {3}, false, false, {4}, {4}, 0) ON CONFLICT (user_id) DO NOTHING"
            : "INSERT OR IGNORE INTO billing_accounts (user_id, email, tier, status, cancel_at_period_end, free_trial_used, created_at, updated_at, version) VALUES ({0}, {1}, {2}, {3}, 0, 0, {4}, {4}, 0)";
        await db.Database.ExecuteSqlRawAsync(
            sql,
            [opened.UserId, opened.Email, opened.Tier.ToString(), opened.Status.ToString(), now.ToUnixTimeMilliseconds()],
            cancellationToken);
        return await db.Accounts.FirstAsync(a => a.UserId == userId, cancellationToken);
    }

    /// <summary>
    /// Links in one conditional UPDATE committed at once, so of two racing first requests exactly one links and the
    /// customer is never lost to a later failure of the command. The update applies the aggregate's own rule
    /// (<see cref="BillingAccount.LinkStripeCustomer"/>: only an account with no customer, never a deleted one), and
    /// the link reaches Keycloak and Lago like every other change: its <see cref="StripeCustomerLinked"/> event is
    /// written through <c>SyncPlan</c> in the same transaction.
    /// </summary>
    public async Task<BillingAccount> LinkStripeCustomerAsync(string userId, string customerId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var linked = await db.Accounts
                .Where(a => a.UserId == userId && a.StripeCustomerId == null && (a.DeletedStripeCustomerId == null || a.DeletedStripeCustomerId != customerId))
                .ExecuteUpdateAsync(
                    set => set
                        .SetProperty(a => a.StripeCustomerId, customerId)
                        .SetProperty(a => a.Version, a => a.Version + 1)
                        .SetProperty(a => a.UpdatedAt, DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds())),
                    cancellationToken);

            // A copy already tracked is stale after the update: refresh it; otherwise one read gives the current row.
            var account = db.Accounts.Local.FirstOrDefault(a => a.UserId == userId);
            if (account is not null)
            {
                await db.Entry(account).ReloadAsync(cancellationToken);
            }
            else
            {
                account = await db.Accounts.FirstAsync(a => a.UserId == userId, cancellationToken);
            }

            if (linked == 1)
            {
                var messages = await syncMessages.StageAsync(account, [new StripeCustomerLinked(userId, now, customerId)], now, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                foreach (var message in messages)
                {
                    db.Entry(message).State = EntityState.Detached;
                }
            }

            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
                signal.Notify();
            }

            return account;
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }
}
