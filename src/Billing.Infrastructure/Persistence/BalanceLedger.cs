using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Billing.Infrastructure.Persistence;

internal sealed class BalanceLedger(BillingDbContext db) : IBalanceLedger
{
    public void Add(BalanceCredit credit) => db.BalanceCredits.Add(credit);

    public Task<bool> HasAsync(string transactionId, CancellationToken cancellationToken) =>
        db.BalanceCredits.AsNoTracking().AnyAsync(c => c.TransactionId == transactionId, cancellationToken);

    public async Task<IReadOnlyList<BalanceCredit>> ListAsync(string userId, int limit, CancellationToken cancellationToken) =>
        await db.BalanceCredits.AsNoTracking()
            .Where(c => c.UserId == userId)
            .OrderByDescending(c => c.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
}
