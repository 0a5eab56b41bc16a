using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>
/// An event claimed for processing, with the number of attempts including this one, its lane
/// (<see cref="Common.Messaging.NewInboxEvent.OrderingKey"/>), and its place in the order of receipt: the store's
/// insertion sequence, which tells two deliveries received in the same millisecond apart.
/// </summary>
public sealed record ClaimedEvent(string Id, int Attempts, DateTimeOffset ReceivedAt, string? OrderingKey = null, long ReceiptSequence = 0);
