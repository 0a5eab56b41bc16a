using Billing.Application.Common.Messaging;

namespace Billing.Infrastructure.Persistence.Records;

/// <summary>A verified Stripe event in the inbox: stored before the webhook answers, processed once in the background.</summary>
internal sealed class StripeEventRecord
{
    public required string Id { get; init; }

    public required string Type { get; init; }

    public string? ApiVersion { get; init; }

    /// <summary>Stripe's <c>created</c> of the event.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    public required string Payload { get; init; }

    /// <summary>The lane of the event: its subscription, else its customer, else its object.</summary>
    public string? OrderingKey { get; init; }

    public InboxStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public string? LockedBy { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    /// <summary>What the processing decided, for the admin view ("account u1 now professional/active").</summary>
    public string? Outcome { get; set; }
}
