using Billing.Application.Common;
namespace Billing.Application.Usage;

/// <summary>A usage event a relay worker holds under a lease, with the attempts spent on it and when it was accepted.</summary>
public sealed record ClaimedUsageEvent(long Id, int Attempts, DateTimeOffset AcceptedAt, UsageEvent Event);
