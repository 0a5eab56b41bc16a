using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>An event claimed for processing, with the number of attempts including this one, and its lane (<see cref="Common.Messaging.NewInboxEvent.OrderingKey"/>).</summary>
public sealed record ClaimedEvent(string Id, int Attempts, DateTimeOffset ReceivedAt, string? OrderingKey = null);
