using Billing.Application.Common;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Invoices;

namespace Billing.Application.Invoices;

/// <summary>
/// Keeps the invoice book right: invoices as Stripe reports them, refunds counted once each by id, and an invoice's
/// refunded amount always the sum of the refunds that return money.
/// </summary>
public sealed class InvoiceRecorder(IInvoiceBook book, IInvoiceGateway gateway)
{
    public async Task<BillingInvoice> RecordAsync(InvoiceFacts facts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (await book.FindAsync(facts.Id, cancellationToken) is { } kept)
        {
            kept.Apply(facts);
            return kept;
        }

        var invoice = BillingInvoice.From(facts);
        book.Add(invoice);
        return invoice;
    }

    /// <summary>The invoice as Stripe has it now, recorded (for an event whose object this service could not read).</summary>
    public async Task<Result<BillingInvoice>> ReadAsync(string invoiceId, CancellationToken cancellationToken)
    {
        var fetched = await gateway.GetInvoiceAsync(invoiceId, cancellationToken);
        return fetched.IsSuccess ? await RecordAsync(fetched.Value, cancellationToken) : fetched.Error!;
    }

    /// <summary>The invoice a payment paid: from the book, else asked of Stripe (and remembered).</summary>
    public async Task<Result<BillingInvoice?>> InvoiceOfPaymentAsync(string paymentIntentId, CancellationToken cancellationToken)
    {
        if (await book.FindByPaymentIntentAsync(paymentIntentId, cancellationToken) is { } known)
        {
            return known;
        }

        var invoiceId = await gateway.FindInvoiceOfPaymentAsync(paymentIntentId, cancellationToken);
        if (!invoiceId.IsSuccess)
        {
            return invoiceId.Error!;
        }

        if (invoiceId.Value is null)
        {
            return Result<BillingInvoice?>.Success(null);
        }

        var invoice = await book.FindAsync(invoiceId.Value, cancellationToken);
        if (invoice is null)
        {
            var fetched = await gateway.GetInvoiceAsync(invoiceId.Value, cancellationToken);
            if (!fetched.IsSuccess)
            {
                return fetched.Error!;
            }

            invoice = await RecordAsync(fetched.Value, cancellationToken);
        }

        invoice.PaidBy(paymentIntentId);
        return invoice;
    }

    /// <summary>
    /// The invoice and customer of a payment (a dispute's, a refund's): through its payment intent, or, for a charge
    /// made without one or a payment intent of no invoice, through the charge.
    /// </summary>
    public async Task<Result<(BillingInvoice? Invoice, string? CustomerId)>> InvoiceOfPaymentOrChargeAsync(string? paymentIntentId, string? chargeId, CancellationToken cancellationToken)
    {
        if (paymentIntentId is { } paymentIntent)
        {
            var paid = await InvoiceOfPaymentAsync(paymentIntent, cancellationToken);
            if (!paid.IsSuccess)
            {
                return paid.Error!;
            }

            if (paid.Value is not null || chargeId is null)
            {
                return (paid.Value, paid.Value?.CustomerId);
            }
        }

        return chargeId is null ? (null, null) : await InvoiceOfChargeAsync(chargeId, cancellationToken);
    }

    /// <summary>
    /// The invoice a charge made without a payment intent paid, and its customer. Stripe cannot list invoice payments
    /// by charge, so the customer's paid invoices of that amount are checked one by one (Stripe lists an invoice's
    /// payments); when none matches, or the book does not hold it yet, the customer alone says whose it is.
    /// </summary>
    public async Task<Result<(BillingInvoice? Invoice, string? CustomerId)>> InvoiceOfChargeAsync(string chargeId, CancellationToken cancellationToken)
    {
        var charge = await gateway.GetChargeAsync(chargeId, cancellationToken);
        if (!charge.IsSuccess)
        {
            return charge.Error!;
        }

        if (charge.Value is not { CustomerId: { } customer } found)
        {
            return (null, null);
        }

        var candidates = (await book.ListAsync(customer, 100, null, cancellationToken))
            .Where(i => i.Status == InvoiceStatus.Paid && i.AmountPaid == found.Amount && i.Currency == found.Currency)
            .Take(5);
        foreach (var candidate in candidates)
        {
            var paid = await gateway.InvoicePaidByChargeAsync(candidate.Id, chargeId, cancellationToken);
            if (!paid.IsSuccess)
            {
                return paid.Error!;
            }

            if (paid.Value)
            {
                return (candidate, customer);
            }
        }

        return (null, customer);
    }

    public async Task RecordRefundAsync(BillingInvoice invoice, GatewayRefund refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(refund);
        var kept = await book.FindRefundAsync(refund.Id, cancellationToken)
            ?? await book.AddRefundAsync(InvoiceRefund.Record(refund.Id, invoice.Id, refund.Amount, refund.Currency, refund.Reason, refund.Status, refund.Created), cancellationToken);
        kept.Update(refund.Status);

        if (refund.PaymentIntentId is not null)
        {
            invoice.PaidBy(refund.PaymentIntentId);
        }

        invoice.Refunded((await book.RefundsOfAsync(invoice.Id, cancellationToken)).Where(r => r.Counts).Sum(r => r.Amount));
    }
}
