using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>
/// A Stripe event whose signature checked out: the envelope, the raw payload to store, and whether it is of a kind
/// the service acts on (anything else is stored as ignored).
/// </summary>
public sealed record VerifiedStripeEvent(string Id, string Type, DateTimeOffset CreatedAt, string? ApiVersion, string Payload, bool Handled = true);
