namespace Billing.Domain.Disputes;

/// <summary>A dispute (chargeback) as Stripe reported it.</summary>
public sealed record DisputeFacts(
    string Id,
    long Amount,
    string Currency,
    string? Reason,
    DisputeStatus Status,
    string? PaymentIntentId,
    DateTimeOffset? DueBy,
    DateTimeOffset Created,
    string? ChargeId = null);
