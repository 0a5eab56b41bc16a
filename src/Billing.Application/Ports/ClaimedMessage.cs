using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>A message claimed for delivery, with the number of attempts including this one.</summary>
public sealed record ClaimedMessage(Guid Id, int Attempts, Common.Messaging.SyncTarget Target, DateTimeOffset CreatedAt);
