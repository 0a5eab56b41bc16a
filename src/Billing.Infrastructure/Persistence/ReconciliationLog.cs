using System.Text.Json;
using Billing.Application.Admin.Reconcile;
using Billing.Application.Ports;
using Billing.Infrastructure.Persistence.Records;
using Microsoft.EntityFrameworkCore;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// A run's report is kept with the run's own unit of work (each account was reconciled in a scope and transaction of
/// its own). A scheduled run is claimed by inserting its slot, at once: the primary key lets exactly one instance in,
/// on SQLite and PostgreSQL alike.
/// </summary>
internal sealed class ReconciliationLog(BillingContextFactory contexts, BillingDbContext scoped) : IReconciliationLog
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<bool> TryClaimScheduledRunAsync(string slot, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        return await db.Database.ExecuteSqlAsync($"INSERT INTO reconciliation_slots (slot) VALUES ({slot}) ON CONFLICT (slot) DO NOTHING", cancellationToken) == 1;
    }

    public void Add(ReconciliationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        scoped.Set<ReconciliationRecord>().Add(new ReconciliationRecord
        {
            FinishedAt = report.FinishedAt,
            Trigger = Sql.Clip(report.Trigger, 128),
            DryRun = report.DryRun,
            UserId = report.UserId,
            Report = JsonSerializer.Serialize(report, Json),
        });
    }

    public async Task<ReconciliationReport?> LastAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.Create();
        var last = await db.Set<ReconciliationRecord>().AsNoTracking().OrderByDescending(r => r.Id).Select(r => r.Report).FirstOrDefaultAsync(cancellationToken);
        return last is null ? null : JsonSerializer.Deserialize<ReconciliationReport>(last, Json);
    }
}
