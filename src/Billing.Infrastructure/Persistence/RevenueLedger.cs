using Billing.Application.Ports;
using Billing.Domain.Revenue;
using Microsoft.EntityFrameworkCore;

namespace Billing.Infrastructure.Persistence;

internal sealed class RevenueLedger(BillingDbContext db) : IRevenueLedger
{
    public async Task<IReadOnlyList<RevenueMovement>> SinceAsync(string currency, DateTimeOffset since, CancellationToken cancellationToken) =>
        await db.RevenueMovements.AsNoTracking()
            .Where(m => m.Currency == currency && m.OccurredAt >= since)
            .OrderBy(m => m.OccurredAt).ThenBy(m => m.Id)
            .ToListAsync(cancellationToken);
}
