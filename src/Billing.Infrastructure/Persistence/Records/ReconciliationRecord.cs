namespace Billing.Infrastructure.Persistence.Records;

/// <summary>A finished reconciliation, its report kept whole as JSON.</summary>
internal sealed class ReconciliationRecord
{
    public long Id { get; init; }

    public DateTimeOffset FinishedAt { get; init; }

    public required string Trigger { get; init; }

    public bool DryRun { get; init; }

    public string? UserId { get; init; }

    public required string Report { get; init; }
}
