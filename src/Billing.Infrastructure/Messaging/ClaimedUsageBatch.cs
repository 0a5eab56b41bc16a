using Billing.Application.Usage;

namespace Billing.Infrastructure.Messaging;

/// <summary>Claimed usage events sent to Lago in one request: at most Lago's batch size.</summary>
internal sealed record ClaimedUsageBatch(IReadOnlyList<ClaimedUsageEvent> Events)
{
    public int Attempts => Events.Max(e => e.Attempts);

    public DateTimeOffset Since => Events.Min(e => e.AcceptedAt);
}
