using Billing.Domain.Disputes;

namespace Billing.Application.Webhooks.Messages;

/// <summary>A payment was disputed, or its dispute changed or closed.</summary>
public sealed record DisputeChanged(string EventId, DateTimeOffset CreatedAt, string DisputeId, string? CustomerId, DisputeFacts? Dispute)
    : StripeEventMessage(EventId, CreatedAt, DisputeId, CustomerId, null);
