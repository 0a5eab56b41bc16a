using Billing.Application.Common.Audit;
using Billing.Application.Ports;
using Billing.Infrastructure.Persistence.Records;
using Microsoft.EntityFrameworkCore;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// The audit trail on a context of its own, so recording an action never commits, nor waits for, the action's own
/// changes (which the unit of work has committed or discarded by then).
/// </summary>
internal sealed class AuditTrail(BillingContextFactory contexts, BillingDbContext db) : IAuditTrail
{
    public const int MaxTargetLength = 500;

    public async Task RecordAsync(DateTimeOffset at, string adminId, string action, string target, string outcome, CancellationToken cancellationToken)
    {
        await using var own = contexts.Create();
        own.Set<AuditRecord>().Add(new AuditRecord { At = at, AdminId = adminId, Action = action, Target = Sql.Clip(target, MaxTargetLength), Outcome = Sql.Clip(outcome, 64) });
        await own.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string? adminId, string? target, int limit, CancellationToken cancellationToken) =>
        await db.Set<AuditRecord>().AsNoTracking()
            .Where(a => (adminId == null || a.AdminId == adminId) && (target == null || a.Target.Contains(target)))
            .OrderByDescending(a => a.Id)
            .Take(limit)
            .Select(a => new AuditEntry(a.Id, a.At, a.AdminId, a.Action, a.Target, a.Outcome))
            .ToListAsync(cancellationToken);
}
