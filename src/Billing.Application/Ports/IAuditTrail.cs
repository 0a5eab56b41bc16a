using Billing.Application.Common;
using Billing.Application.Common.Audit;

namespace Billing.Application.Ports;

/// <summary>The append-only record of administrator actions.</summary>
public interface IAuditTrail
{
    /// <summary>Appends and commits at once, on its own: an action is recorded whether it succeeded, failed or threw.</summary>
    Task RecordAsync(DateTimeOffset at, string adminId, string action, string target, string outcome, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntry>> ListAsync(string? adminId, string? target, int limit, CancellationToken cancellationToken);
}
