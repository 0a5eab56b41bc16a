using Billing.Domain.Invoices;
using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>An invoice as Stripe holds it now: its status, its hosted payment page, and Stripe's next retry.</summary>
public sealed record GatewayInvoice(
    string Id,
    InvoiceStatus? Status,
    string? HostedInvoiceUrl,
    DateTimeOffset? NextPaymentAttempt,
    DateTimeOffset Created,
    long Total = 0,
    long Tax = 0);
