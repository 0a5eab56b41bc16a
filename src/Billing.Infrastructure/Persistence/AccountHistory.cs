using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Billing.Infrastructure.Persistence;

internal sealed class AccountHistory(BillingDbContext db) : IAccountHistory
{
    public void Add(AccountHistoryEntry entry) => db.AccountHistory.Add(entry);

    public async Task<IReadOnlyList<AccountHistoryEntry>> ListAsync(string userId, int limit, CancellationToken cancellationToken) =>
        await db.AccountHistory.AsNoTracking()
            .Where(e => e.UserId == userId)
            .OrderByDescending(e => e.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
}
