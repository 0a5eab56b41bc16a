using Billing.Domain.Invoices;

namespace Billing.Application.Webhooks.Messages;

/// <summary>An invoice was drafted, finalized, updated, voided, paid, or its payment failed or needs the customer.</summary>
public sealed record InvoiceChanged(
    string EventId,
    DateTimeOffset CreatedAt,
    string InvoiceId,
    string? CustomerId,
    string? SubscriptionId,
    InvoiceChange Change,
    InvoiceFacts? Invoice,
    string? UserId,
    string? CustomerEmail)
    : StripeEventMessage(EventId, CreatedAt, InvoiceId, CustomerId, SubscriptionId)
{
    /// <summary>Only the book changes: the subscription's state is not read again for these.</summary>
    public bool BookOnly => Change is InvoiceChange.Drafted or InvoiceChange.Finalized or InvoiceChange.Updated or InvoiceChange.Voided or InvoiceChange.MarkedUncollectible;
}
