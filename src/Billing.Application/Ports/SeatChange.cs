namespace Billing.Application.Ports;

/// <summary>A new quantity for the subscription's one item: an organization's seats, prorated as configured.</summary>
public sealed record SeatChange(string SubscriptionId, string ItemId, int Seats, string ProrationBehavior, string IdempotencyKey);
