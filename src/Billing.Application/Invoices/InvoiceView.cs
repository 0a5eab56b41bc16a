using Billing.Application.Common;
using Billing.Domain.Invoices;

namespace Billing.Application.Invoices;

/// <summary>
/// An invoice as the SPA lists it; amounts in minor units of <see cref="Currency"/>. <see cref="BalanceApplied"/> is
/// the credit from the customer's balance it used (positive), or an amount owed it added (negative).
/// <see cref="PaymentProcessing"/> marks an open invoice whose payment, a bank debit, is on its way.
/// </summary>
public sealed record InvoiceView(
    string Id,
    string? Number,
    string Status,
    string Currency,
    long Total,
    long Tax,
    long AmountPaid,
    long AmountDue,
    long AmountRefunded,
    DateTimeOffset? PeriodStart,
    DateTimeOffset? PeriodEnd,
    DateTimeOffset Created,
    string? HostedInvoiceUrl,
    string? InvoicePdf,
    long BalanceApplied = 0,
    bool PaymentProcessing = false)
{
    public static InvoiceView Of(BillingInvoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return new InvoiceView(invoice.Id, invoice.Number, invoice.Status.Code(), invoice.Currency, invoice.Total, invoice.Tax, invoice.AmountPaid, invoice.AmountDue, invoice.AmountRefunded, invoice.PeriodStart, invoice.PeriodEnd, invoice.Created, invoice.HostedInvoiceUrl, invoice.InvoicePdf, invoice.BalanceApplied);
    }
}
