namespace Billing.Application.Webhooks.Messages;

/// <summary>
/// A Stripe customer changed; what this service keeps of it is the balance (<see cref="Balance"/>: negative is credit
/// the next invoices use). Null when the event came in another API version than the one this service parses.
/// </summary>
public sealed record CustomerUpdated(string EventId, DateTimeOffset CreatedAt, string StripeCustomerId, long? Balance)
    : StripeEventMessage(EventId, CreatedAt, StripeCustomerId, StripeCustomerId, null);
