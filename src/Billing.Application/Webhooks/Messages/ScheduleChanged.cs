using Billing.Application.Ports;

namespace Billing.Application.Webhooks.Messages;

/// <summary>
/// A subscription schedule was created, updated, released, canceled, completed or aborted (made here, in the customer
/// portal, or in the dashboard). <see cref="Reported"/> is the schedule as the event carried it; null when the event
/// came in another API version than the one this service parses.
/// </summary>
public sealed record ScheduleChanged(string EventId, DateTimeOffset CreatedAt, string ScheduleId, string? CustomerId, string? SubscriptionId, ReportedSchedule? Reported)
    : StripeEventMessage(EventId, CreatedAt, ScheduleId, CustomerId, SubscriptionId);
