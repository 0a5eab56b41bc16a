using Billing.Application.Common;
using Billing.Application.Admin.Reconcile;

namespace Billing.Application.Ports;

/// <summary>Reconciliation reports, and which instance runs each scheduled reconciliation.</summary>
public interface IReconciliationLog
{
    /// <summary>True for the one instance that claims the scheduled run named <paramref name="slot"/>; every other instance gets false.</summary>
    Task<bool> TryClaimScheduledRunAsync(string slot, CancellationToken cancellationToken);

    /// <summary>Keeps the report with the run's unit of work.</summary>
    void Add(ReconciliationReport report);

    /// <summary>The report of the run that finished last, or null before the first.</summary>
    Task<ReconciliationReport?> LastAsync(CancellationToken cancellationToken);
}
