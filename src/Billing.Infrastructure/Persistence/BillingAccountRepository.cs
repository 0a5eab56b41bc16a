using Billing.Application.Common.Ports;
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
        var account = await db.Accounts.FirstAsync(a => a.UserId == userId, cancellationToken);
        await db.Entry(account).ReloadAsync(cancellationToken);
        return account;
    }

    public async Task<IReadOnlyList<string>> ListUserIdsAsync(CancellationToken cancellationToken) =>
        await db.Accounts.AsNoTracking().Select(a => a.UserId).ToListAsync(cancellationToken);
}

internal sealed class EfUnitOfWork(BillingDbContext db) : IUnitOfWork
{
    public async Task CommitAsync(CancellationToken cancellationToken) => await db.SaveChangesAsync(cancellationToken);

    public void Discard() => db.ChangeTracker.Clear();
}
