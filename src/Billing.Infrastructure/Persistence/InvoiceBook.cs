using Billing.Domain.Common;
using Billing.Application.Ports;
using Billing.Domain.Invoices;
using Microsoft.EntityFrameworkCore;

namespace Billing.Infrastructure.Persistence;

internal sealed class InvoiceBook(BillingDbContext db) : IInvoiceBook
{
    public async Task<BillingInvoice?> FindAsync(string invoiceId, CancellationToken cancellationToken) =>
        db.Invoices.Local.FirstOrDefault(i => i.Id == invoiceId) ?? await db.Invoices.FirstOrDefaultAsync(i => i.Id == invoiceId, cancellationToken);

    public async Task<BillingInvoice?> FindByPaymentIntentAsync(string paymentIntentId, CancellationToken cancellationToken) =>
        db.Invoices.Local.FirstOrDefault(i => i.PaymentIntentId == paymentIntentId) ?? await db.Invoices.FirstOrDefaultAsync(i => i.PaymentIntentId == paymentIntentId, cancellationToken);

    public async Task<IReadOnlyList<BillingInvoice>> ListAsync(string customerId, int limit, string? startingAfter, CancellationToken cancellationToken)
    {
        var query = db.Invoices.AsNoTracking().Where(i => i.CustomerId == customerId);
        if (startingAfter is not null)
        {
            // A cursor of another customer's invoice finds nothing, so it cannot be used to peek at theirs.
            var cursor = await db.Invoices.AsNoTracking().Where(i => i.Id == startingAfter && i.CustomerId == customerId).Select(i => new { i.Created, i.Id }).FirstOrDefaultAsync(cancellationToken);
            if (cursor is null)
            {
                return [];
            }

            query = query.Where(i => i.Created < cursor.Created || (i.Created == cursor.Created && string.Compare(i.Id, cursor.Id) < 0));
        }

        return await query.OrderByDescending(i => i.Created).ThenByDescending(i => i.Id).Take(limit).ToListAsync(cancellationToken);
    }

    public void Add(BillingInvoice invoice) => db.Invoices.Add(invoice);

    public async Task<InvoiceRefund?> FindRefundAsync(string refundId, CancellationToken cancellationToken) =>
        db.InvoiceRefunds.Local.FirstOrDefault(r => r.Id == refundId) ?? await db.InvoiceRefunds.FirstOrDefaultAsync(r => r.Id == refundId, cancellationToken);

    public async Task<IReadOnlyList<InvoiceRefund>> RefundsOfAsync(string invoiceId, CancellationToken cancellationToken) =>
        await db.InvoiceRefunds.Where(r => r.InvoiceId == invoiceId).ToListAsync(cancellationToken);

    /// <remarks>The admin's request and Stripe's refund.created webhook record the same refund; both may try at once.</remarks>
    public async Task<InvoiceRefund> AddRefundAsync(InvoiceRefund refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refund);
        // A missing reason is left out rather than sent as an untyped null, which no provider can map.
        if (refund.Reason is { } reason)
        {
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO invoice_refunds (id, invoice_id, amount, currency, status, created, reason) VALUES ({refund.Id}, {refund.InvoiceId}, {refund.Amount}, {refund.Currency}, {refund.Status.Code()}, {refund.Created.ToUnixTimeMilliseconds()}, {reason}) ON CONFLICT (id) DO NOTHING",
                cancellationToken);
        }
        else
        {
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO invoice_refunds (id, invoice_id, amount, currency, status, created) VALUES ({refund.Id}, {refund.InvoiceId}, {refund.Amount}, {refund.Currency}, {refund.Status.Code()}, {refund.Created.ToUnixTimeMilliseconds()}) ON CONFLICT (id) DO NOTHING",
                cancellationToken);
        }

        return await db.InvoiceRefunds.FirstAsync(r => r.Id == refund.Id, cancellationToken);
    }
}
