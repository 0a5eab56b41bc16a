using Billing.Domain.Accounts;
using Billing.Domain.Common;
using Billing.Domain.Invoices;
using Billing.Application.Invoices;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Messages;
using Mediator;

namespace Billing.Application.Webhooks.Apply;

/// <summary>
/// Keeps invoices' refunded amounts right from Stripe's refund events, including refunds made in the dashboard: a
/// refund is matched to its invoice by its metadata, its payment, or (a charge made without a payment intent) its
/// charge, and <c>charge.refunded</c> brings in any refund of the charge the book has not seen yet (one list call,
/// only then). A refund of a charge no invoice here was paid by is kept in its customer's account history.
/// </summary>
public sealed class ApplyRefundChanged(InvoiceRecorder recorder, IInvoiceBook book, IInvoiceGateway gateway, IBillingAccountRepository accounts, IAccountHistory history, TimeProvider clock)
    : IRequestHandler<RefundChanged, Result<string>>
{
    public async ValueTask<Result<string>> Handle(RefundChanged facts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Refund is { } refund)
        {
            var located = refund.InvoiceId is { } invoiceId && await book.FindAsync(invoiceId, cancellationToken) is { } named
                ? Result<(BillingInvoice? Invoice, string? CustomerId)>.Success((named, named.CustomerId))
                : await recorder.InvoiceOfPaymentOrChargeAsync(refund.PaymentIntentId, refund.ChargeId, cancellationToken);
            if (!located.IsSuccess)
            {
                return located.Error!;
            }

            if (located.Value.Invoice is not { } invoice)
            {
                return await KeepWithCustomerAsync(located.Value.CustomerId, $"Refund {refund.Id} of {refund.Amount} {refund.Currency} ({refund.Status.Code()}) on charge {refund.ChargeId}, of no invoice here.", refund.Id, cancellationToken);
            }

            await recorder.RecordRefundAsync(invoice, refund, cancellationToken);
            return $"Refund {refund.Id} ({refund.Status.Code()}) recorded on invoice {invoice.Id}, refunded {invoice.AmountRefunded} of {invoice.AmountPaid}.";
        }

        if (facts.ChargeAmountRefunded is not { } refunded || (facts.PaymentIntentId is null && facts.ChargeId is null))
        {
            return $"Refund event {facts.EventId} for {facts.ObjectId} names no payment; nothing to record.";
        }

        var charged = await recorder.InvoiceOfPaymentOrChargeAsync(facts.PaymentIntentId, facts.ChargeId, cancellationToken);
        if (!charged.IsSuccess)
        {
            return charged.Error!;
        }

        if (charged.Value.Invoice is not { } chargedInvoice)
        {
            return await KeepWithCustomerAsync(charged.Value.CustomerId, $"Charge {facts.ObjectId} of no invoice here was refunded, {refunded} in all.", $"{facts.ObjectId}:{refunded}", cancellationToken);
        }

        if (chargedInvoice.AmountRefunded >= refunded)
        {
            return $"Invoice {chargedInvoice.Id} already shows {chargedInvoice.AmountRefunded} refunded.";
        }

        var all = facts.PaymentIntentId is { } paymentIntent
            ? await gateway.ListRefundsAsync(paymentIntent, cancellationToken)
            : await gateway.ListRefundsOfChargeAsync(facts.ChargeId!, cancellationToken);
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

    /// <summary>A refund tied to no invoice is never dropped: its customer's account history keeps it, once.</summary>
    private async Task<Result<string>> KeepWithCustomerAsync(string? customerId, string detail, string occasion, CancellationToken cancellationToken)
    {
        if (customerId is null || await accounts.FindByStripeCustomerAsync(customerId, cancellationToken) is not { } account)
        {
            return $"{detail} No account here holds its customer; nothing to record.";
        }

        if ((await history.ListAsync(account.UserId, 200, cancellationToken)).Any(e => e.Kind == "refund_outside_invoices" && e.Detail.Contains(occasion, StringComparison.Ordinal)))
        {
            return $"{detail} Already in account {account.UserId}'s history.";
        }

        history.Add(AccountHistoryEntry.Record(account.UserId, clock.GetUtcNow(), "refund_outside_invoices", detail));
        return $"{detail} Kept in account {account.UserId}'s history.";
    }
}
