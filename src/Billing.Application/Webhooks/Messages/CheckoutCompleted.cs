namespace Billing.Application.Webhooks.Messages;

/// <summary>
/// A Checkout Session was completed: a subscription paid for, or (<see cref="SavedCard"/>) a card saved, or
/// (<see cref="PaymentPending"/>) a subscription whose first payment, a bank debit, is still on its way.
/// </summary>
public sealed record CheckoutCompleted(
    string EventId,
    DateTimeOffset CreatedAt,
    string SessionId,
    string? CustomerId,
    string? SubscriptionId,
    string? UserId,
    string? CustomerEmail,
    bool SavedCard,
    string? SetupIntentId,
    bool PaymentPending = false)
    : StripeEventMessage(EventId, CreatedAt, SessionId, CustomerId, SubscriptionId);
