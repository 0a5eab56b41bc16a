using Billing.Application.Common;
using Billing.Domain.Invoices;

namespace Billing.Application.Ports;

/// <summary>The invoices and refunds this service keeps from Stripe's webhooks; changes commit with the unit of work.</summary>
public interface IInvoiceBook
{
    Task<BillingInvoice?> FindAsync(string invoiceId, CancellationToken cancellationToken);

    Task<BillingInvoice?> FindByPaymentIntentAsync(string paymentIntentId, CancellationToken cancellationToken);

    /// <summary>A customer's invoices, newest first, after <paramref name="startingAfter"/> when given.</summary>
    Task<IReadOnlyList<BillingInvoice>> ListAsync(string customerId, int limit, string? startingAfter, CancellationToken cancellationToken);

    void Add(BillingInvoice invoice);

    Task<InvoiceRefund?> FindRefundAsync(string refundId, CancellationToken cancellationToken);

    /// <summary>The refunds of an invoice, those added in this unit of work included.</summary>
    Task<IReadOnlyList<InvoiceRefund>> RefundsOfAsync(string invoiceId, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps a refund once: its row is written at once if no writer has written it yet (refunds are facts of
    /// Stripe's, the same whoever records them), and the kept one is returned, tracked for updates.
    /// </summary>
    Task<InvoiceRefund> AddRefundAsync(InvoiceRefund refund, CancellationToken cancellationToken);
}
