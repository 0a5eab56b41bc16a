namespace Billing.Application.Common.Messaging;

/// <summary>A Stripe event as the inbox holds it, without its lease: the inbox alone claims and releases events.</summary>
public sealed record InboxEntry(
    string Id,
    string Type,
    string Payload,
    InboxStatus Status,
    int Attempts,
    DateTimeOffset ReceivedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? ProcessedAt,
    string? Outcome,
    string? LastError,
    DateTimeOffset? CreatedAt = null);
