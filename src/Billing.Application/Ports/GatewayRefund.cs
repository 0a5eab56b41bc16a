using Billing.Domain.Invoices;
using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>
/// A Stripe refund; <see cref="InvoiceId"/> and <see cref="RequestKey"/> (the key of the admin's request that made
/// it) are known when this service made it (its metadata says).
/// </summary>
public sealed record GatewayRefund(
    string Id,
    long Amount,
    string Currency,
    RefundStatus Status,
    string? Reason,
    string? PaymentIntentId,
    DateTimeOffset Created,
    string? InvoiceId = null,
    string? ChargeId = null,
    string? RequestKey = null);
