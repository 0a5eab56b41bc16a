using Billing.Application.Common.Messaging;

namespace Billing.Infrastructure.Persistence.Records;

/// <summary>
/// An outbox message: the full billing state of one account to push to Keycloak or Lago (each carries the whole
/// state, not a delta, so a newer message supersedes older undelivered ones for the same account and target), or
/// one e-mail to the user, which nothing supersedes.
/// </summary>
internal sealed class SyncMessage
{
    public const int MaxOutcomeLength = OutboxEntry.MaxOutcomeLength;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string UserId { get; init; }

    public SyncTarget Target { get; init; }

    public long AccountVersion { get; init; }

    public required string Payload { get; init; }

    public SyncStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public string? LockedBy { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>For an e-mail: the same notice for the same occasion and address, which the table holds once.</summary>
    public string? DeduplicationKey { get; init; }

    /// <summary>What the target answered to the last delivery (a Lago downgrade held until the period ends, say).</summary>
    public string? Outcome { get; set; }
}
