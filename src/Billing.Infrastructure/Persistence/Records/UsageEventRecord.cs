namespace Billing.Infrastructure.Persistence.Records;

/// <summary>
/// An accepted usage event and its delivery to Lago: the table is the usage events' outbox, written once per
/// transaction id (a unique index) and claimed under a lease like the sync messages.
/// </summary>
internal sealed class UsageEventRecord
{
    public long Id { get; init; }

    public required string TransactionId { get; init; }

    public required string UserId { get; init; }

    public required string SubscriptionId { get; init; }

    public required string Code { get; init; }

    public DateTimeOffset Timestamp { get; init; }

    public required string Properties { get; init; }

    public DateTimeOffset AcceptedAt { get; init; }

    public const string Pending = "Pending";
    public const string Delivered = "Delivered";
    public const string Parked = "Parked";

    /// <summary><see cref="Pending"/>, <see cref="Delivered"/>, or <see cref="Parked"/> (refused by Lago for good, or out of attempts).</summary>
    public required string Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public string? LockedBy { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public string? LastError { get; set; }
}
