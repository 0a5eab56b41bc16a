namespace Billing.Application.Webhooks.Messages;

/// <summary>
/// The delayed payment (a bank debit) of a completed Checkout Session settled, days after the session completed:
/// <see cref="Succeeded"/> the money is in, or the debit failed.
/// </summary>
public sealed record CheckoutPaymentSettled(
    string EventId,
    DateTimeOffset CreatedAt,
    string SessionId,
    string? CustomerId,
    string? SubscriptionId,
    string? UserId,
    bool Succeeded)
    : StripeEventMessage(EventId, CreatedAt, SessionId, CustomerId, SubscriptionId);
