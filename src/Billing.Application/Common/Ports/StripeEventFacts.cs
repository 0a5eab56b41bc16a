namespace Billing.Application.Common.Ports;

/// <summary>What processing needs from an event's <c>data.object</c>, read the same way whatever the API version.</summary>
public sealed record StripeEventFacts(
    string Type,
    string ObjectId,
    string? CustomerId,
    string? SubscriptionId,
    string? ClientReferenceId,
    string? MetadataUserId,
    string? CustomerEmail,
    string? CheckoutMode = null,
    string? SetupIntentId = null,
    string EventId = "",
    bool CancellationScheduled = false,
    Billing.Domain.Invoices.InvoiceFacts? Invoice = null,
    GatewayRefund? Refund = null,
    string? PaymentIntentId = null,
    long? ChargeAmountRefunded = null,
    Billing.Domain.Disputes.DisputeFacts? Dispute = null,
    DateTimeOffset? CreatedAt = null);
