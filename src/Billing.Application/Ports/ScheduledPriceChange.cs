namespace Billing.Application.Ports;

/// <summary>
/// A move of the subscription's one item to <paramref name="PriceId"/> (as many as <paramref name="Quantity"/>) at the
/// end of its period, with <paramref name="Metadata"/> set on the subscription when it happens; on
/// <paramref name="ScheduleId"/> when a schedule already manages the subscription.
/// </summary>
public sealed record ScheduledPriceChange(string SubscriptionId, string? ScheduleId, string PriceId, int Quantity, IReadOnlyDictionary<string, string> Metadata, string IdempotencyKey);
