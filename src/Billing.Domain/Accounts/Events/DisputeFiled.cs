namespace Billing.Domain.Accounts.Events;

/// <summary>A payment of this account was disputed at the bank; the operator is told once per dispute, with its evidence deadline to meet.</summary>
public sealed record DisputeFiled(string UserId, DateTimeOffset OccurredAt, string DisputeId, string? InvoiceId) : AccountEvent(UserId, OccurredAt);
