using Billing.Application.Ports;

namespace Billing.Application.Webhooks.Messages;

/// <summary>
/// A refund was created or updated (<see cref="Refund"/>), or a charge was refunded: then the charge, its payment (none
/// for a charge made without a payment intent) and the total it had refunded.
/// </summary>
public sealed record RefundChanged(
    string EventId,
    DateTimeOffset CreatedAt,
    string ObjectId,
    string? CustomerId,
    GatewayRefund? Refund,
    string? PaymentIntentId,
    long? ChargeAmountRefunded,
    string? ChargeId = null)
    : StripeEventMessage(EventId, CreatedAt, ObjectId, CustomerId, null);
