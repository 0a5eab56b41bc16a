namespace Billing.Infrastructure.Persistence.Records;

/// <summary>A row of the audit trail; rows are only ever added.</summary>
internal sealed class AuditRecord
{
    public long Id { get; init; }

    public DateTimeOffset At { get; init; }

    public required string AdminId { get; init; }

    public required string Action { get; init; }

    public required string Target { get; init; }

    public required string Outcome { get; init; }
}
