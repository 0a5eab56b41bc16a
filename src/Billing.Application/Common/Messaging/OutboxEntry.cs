namespace Billing.Application.Common.Messaging;

/// <summary>A sync message as the outbox holds it, without its lease: the outbox alone claims and releases messages.</summary>
public sealed record OutboxEntry(
    Guid Id,
    string UserId,
    SyncTarget Target,
    SyncStatus Status,
    long AccountVersion,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    string? Outcome,
    string? LastError,
    string Payload = "")
{
    /// <summary>The longest outcome the outbox keeps.</summary>
    public const int MaxOutcomeLength = 500;
}
