namespace Billing.Infrastructure.Persistence.Records;

/// <summary>A scheduled reconciliation claimed by one instance: the key alone, unique, is the lock.</summary>
internal sealed class ReconciliationSlot
{
    public required string Slot { get; init; }
}
