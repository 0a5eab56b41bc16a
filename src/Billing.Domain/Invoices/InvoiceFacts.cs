namespace Billing.Domain.Invoices;

/// <summary>An invoice as Stripe reported it (in an event, or read from the API), in billing terms.</summary>
public sealed record InvoiceFacts(
    string Id,
    string CustomerId,
    string? SubscriptionId,
    string? Number,
    InvoiceStatus Status,
    string Currency,
    long Total,
    long AmountPaid,
    long AmountDue,
    DateTimeOffset? PeriodStart,
    DateTimeOffset? PeriodEnd,
    DateTimeOffset Created,
    string? HostedInvoiceUrl,
    string? InvoicePdf,
    long Tax = 0,
    DateTimeOffset? NextPaymentAttempt = null,
    long BalanceApplied = 0);
