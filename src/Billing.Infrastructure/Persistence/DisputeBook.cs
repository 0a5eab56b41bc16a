using Billing.Application.Ports;
using Billing.Domain.Disputes;
using Microsoft.EntityFrameworkCore;

namespace Billing.Infrastructure.Persistence;

internal sealed class DisputeBook(BillingDbContext db) : IDisputeBook
{
    public async Task<PaymentDispute?> FindAsync(string disputeId, CancellationToken cancellationToken) =>
        db.Disputes.Local.FirstOrDefault(d => d.Id == disputeId) ?? await db.Disputes.FirstOrDefaultAsync(d => d.Id == disputeId, cancellationToken);

    public async Task<IReadOnlyList<PaymentDispute>> ForUserAsync(string userId, CancellationToken cancellationToken) =>
        await db.Disputes.Where(d => d.UserId == userId).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<PaymentDispute>> ListAsync(bool? open, int limit, CancellationToken cancellationToken) =>
        await db.Disputes.AsNoTracking()
            .Where(d => open == null || (open == true ? d.ClosedAt == null : d.ClosedAt != null))
            .OrderByDescending(d => d.Created)
            .Take(limit)
            .ToListAsync(cancellationToken);

    public void Add(PaymentDispute dispute) => db.Disputes.Add(dispute);
}
