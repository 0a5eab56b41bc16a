namespace Billing.Application.Common.Ports;

/// <summary>An event claimed for processing, with the number of attempts including this one.</summary>
public sealed record ClaimedEvent(string Id, int Attempts, DateTimeOffset ReceivedAt);
