using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>
/// A Stripe event whose signature checked out: the envelope, the payload to store, whether it is of a kind the service
/// acts on (anything else is stored as ignored, in no lane) and the lane of its object, read from the same parse of the
/// body (<see cref="Webhooks.Messages.StripeEventMessage.LaneOf"/>), so receiving never reads the event twice.
/// </summary>
public sealed record VerifiedStripeEvent(string Id, string Type, DateTimeOffset CreatedAt, string? ApiVersion, string Payload, bool Handled = true, string? Lane = null);
