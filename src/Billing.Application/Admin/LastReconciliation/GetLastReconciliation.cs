using Billing.Application.Admin.Reconcile;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Mediator;

namespace Billing.Application.Admin.LastReconciliation;

/// <summary>The report of the reconciliation that finished last (scheduled, from the command line, or by an administrator).</summary>
public sealed record GetLastReconciliation : IQuery<Result<ReconciliationReport>>;

public sealed class GetLastReconciliationHandler(IReconciliationLog log) : IQueryHandler<GetLastReconciliation, Result<ReconciliationReport>>
{
    public async ValueTask<Result<ReconciliationReport>> Handle(GetLastReconciliation query, CancellationToken cancellationToken) =>
        await log.LastAsync(cancellationToken) is { } report
            ? report
            : Error.NotFound("no_reconciliation", "No reconciliation has finished yet.");
}
