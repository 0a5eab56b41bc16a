using Billing.Domain.Common;
using Billing.Application.Invoices;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Messages;
using Mediator;

namespace Billing.Application.Webhooks.Apply;

/// <summary>
/// Keeps invoices' refunded amounts right from Stripe's refund events, including refunds made in the dashboard: a
/// refund is matched to its invoice by its metadata or its payment, and <c>charge.refunded</c> brings in any refund
/// of the charge the book has not seen yet (one list call, only then).
/// </summary>
public sealed class ApplyRefundChanged(InvoiceRecorder recorder, IInvoiceBook book, IInvoiceGateway gateway) : IRequestHandler<RefundChanged, Result<string>>
{
    public async ValueTask<Result<string>> Handle(RefundChanged facts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Refund is { } refund)
        {
            var invoice = refund.InvoiceId is { } invoiceId && await book.FindAsync(invoiceId, cancellationToken) is { } named
                ? Result<Billing.Domain.Invoices.BillingInvoice?>.Success(named)
                : refund.PaymentIntentId is { } paid ? await recorder.InvoiceOfPaymentAsync(paid, cancellationToken) : Result<Billing.Domain.Invoices.BillingInvoice?>.Success(null);
            if (!invoice.IsSuccess)
            {
                return invoice.Error!;
            }

            if (invoice.Value is null)
            {
                return $"Refund {refund.Id} is of no invoice; nothing to record.";
            }

            await recorder.RecordRefundAsync(invoice.Value, refund, cancellationToken);
            return $"Refund {refund.Id} ({refund.Status.Code()}) recorded on invoice {invoice.Value.Id}, refunded {invoice.Value.AmountRefunded} of {invoice.Value.AmountPaid}.";
        }

        if (facts.PaymentIntentId is not { } paymentIntent || facts.ChargeAmountRefunded is not { } refunded)
        {
            return $"Refund event {facts.EventId} for {facts.ObjectId} names no payment; nothing to record.";
        }

        var charged = await recorder.InvoiceOfPaymentAsync(paymentIntent, cancellationToken);
        if (!charged.IsSuccess)
        {
            return charged.Error!;
        }

        if (charged.Value is not { } chargedInvoice)
        {
            return $"Charge {facts.ObjectId} paid no invoice; nothing to record.";
        }

        if (chargedInvoice.AmountRefunded >= refunded)
        {
            return $"Invoice {chargedInvoice.Id} already shows {chargedInvoice.AmountRefunded} refunded.";
        }

        var all = await gateway.ListRefundsAsync(paymentIntent, cancellationToken);
        if (!all.IsSuccess)
        {
            return all.Error!;
        }

        foreach (var each in all.Value)
        {
            await recorder.RecordRefundAsync(chargedInvoice, each, cancellationToken);
        }

        return $"Invoice {chargedInvoice.Id} now shows {chargedInvoice.AmountRefunded} refunded ({all.Value.Count} refunds).";
    }
}
