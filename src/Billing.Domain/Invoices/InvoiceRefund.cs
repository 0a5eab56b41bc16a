namespace Billing.Domain.Invoices;

/// <summary>A refund of an invoice's payment, kept by its Stripe id so each one counts once.</summary>
public sealed class InvoiceRefund
{
    private InvoiceRefund()
    {
        Id = InvoiceId = Currency = string.Empty;
    }

    public string Id { get; private set; }

    public string InvoiceId { get; private set; }

    public long Amount { get; private set; }

    public string Currency { get; private set; }

    public string? Reason { get; private set; }

    public RefundStatus Status { get; private set; }

    public DateTimeOffset Created { get; private set; }

    /// <summary>Whether the money is on its way back (a failed or canceled refund returns nothing).</summary>
    public bool Counts => Status is RefundStatus.Succeeded or RefundStatus.Pending or RefundStatus.RequiresAction;

    public static InvoiceRefund Record(string id, string invoiceId, long amount, string currency, string? reason, RefundStatus status, DateTimeOffset created) =>
        new() { Id = id, InvoiceId = invoiceId, Amount = amount, Currency = currency, Reason = reason, Status = status, Created = created };

    public bool Update(RefundStatus status)
    {
        if (Status == status || Status is RefundStatus.Failed or RefundStatus.Canceled)
        {
            return false;
        }

        Status = status;
        return true;
    }
}
