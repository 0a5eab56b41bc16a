namespace Billing.Domain.Invoices;

/// <summary>Where an invoice is in its life: drafted, finalized and open to pay, paid, written off as uncollectible, or voided.</summary>
public enum InvoiceStatus
{
    Draft,
    Open,
    Paid,
    Uncollectible,
    Void,
}
