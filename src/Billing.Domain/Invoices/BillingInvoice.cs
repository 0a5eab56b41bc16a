namespace Billing.Domain.Invoices;

/// <summary>
/// One Stripe invoice of a customer as this service keeps it, so invoices are listed without asking Stripe. Reports
/// may come late or out of order; an invoice only moves forward (draft, open, then paid, void or uncollectible, and
/// uncollectible may still be paid), and what was paid never shrinks.
/// </summary>
public sealed class BillingInvoice
{
    private BillingInvoice()
    {
        Id = CustomerId = Currency = string.Empty;
    }

    public string Id { get; private set; }

    public string CustomerId { get; private set; }

    public string? SubscriptionId { get; private set; }

    public string? Number { get; private set; }

    public InvoiceStatus Status { get; private set; }

    public string Currency { get; private set; }

    public long Total { get; private set; }

    public long Tax { get; private set; }

    public long AmountPaid { get; private set; }

    public long AmountDue { get; private set; }

    /// <summary>
    /// What the customer's balance did to it: credit it used (positive, taken off the amount due) or an amount owed it
    /// added (negative); Stripe's ending balance less its starting balance.
    /// </summary>
    public long BalanceApplied { get; private set; }

    /// <summary>What was refunded of the payment, from the refunds this service knows of.</summary>
    public long AmountRefunded { get; private set; }

    public DateTimeOffset? PeriodStart { get; private set; }

    public DateTimeOffset? PeriodEnd { get; private set; }

    public DateTimeOffset Created { get; private set; }

    public string? HostedInvoiceUrl { get; private set; }

    public string? InvoicePdf { get; private set; }

    /// <summary>When Stripe tries to collect it again by itself; null once it stopped (or it is settled).</summary>
    public DateTimeOffset? NextPaymentAttempt { get; private set; }

    /// <summary>The payment intent that paid it, once known (needed to refund it and to match refunds and disputes).</summary>
    public string? PaymentIntentId { get; private set; }

    public long Refundable => Math.Max(0, AmountPaid - AmountRefunded);

    public static BillingInvoice From(InvoiceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var invoice = new BillingInvoice { Id = facts.Id, CustomerId = facts.CustomerId, Created = facts.Created, Status = facts.Status, Currency = facts.Currency };
        invoice.Apply(facts);
        return invoice;
    }

    /// <summary>Applies a report unless it is behind what is kept; returns whether anything changed.</summary>
    public bool Apply(InvoiceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Id != Id || Rank(facts.Status) < Rank(Status))
        {
            return false;
        }

        var before = (Status, Number, Total, Tax, AmountPaid, AmountDue, HostedInvoiceUrl, InvoicePdf, PeriodStart, PeriodEnd, SubscriptionId, NextPaymentAttempt, BalanceApplied);
        Status = facts.Status;
        NextPaymentAttempt = facts.Status == InvoiceStatus.Open ? facts.NextPaymentAttempt : null;
        Number = facts.Number ?? Number;
        Currency = facts.Currency;
        Total = facts.Total;
        Tax = facts.Tax;
        AmountPaid = Math.Max(AmountPaid, facts.AmountPaid);
        AmountDue = facts.AmountDue;
        HostedInvoiceUrl = facts.HostedInvoiceUrl ?? HostedInvoiceUrl;
        InvoicePdf = facts.InvoicePdf ?? InvoicePdf;
        PeriodStart = facts.PeriodStart ?? PeriodStart;
        PeriodEnd = facts.PeriodEnd ?? PeriodEnd;
        SubscriptionId = facts.SubscriptionId ?? SubscriptionId;
        BalanceApplied = facts.BalanceApplied != 0 ? facts.BalanceApplied : BalanceApplied;
        return before != (Status, Number, Total, Tax, AmountPaid, AmountDue, HostedInvoiceUrl, InvoicePdf, PeriodStart, PeriodEnd, SubscriptionId, NextPaymentAttempt, BalanceApplied);
    }

    public void PaidBy(string paymentIntentId) => PaymentIntentId ??= paymentIntentId;

    /// <summary>Sets what was refunded from the refunds known for it (each counted once, by its id).</summary>
    public void Refunded(long amount) => AmountRefunded = Math.Clamp(amount, 0, AmountPaid);

    private static int Rank(InvoiceStatus status) => status switch
    {
        InvoiceStatus.Draft => 0,
        InvoiceStatus.Open => 1,
        InvoiceStatus.Uncollectible => 2,
        _ => 3,
    };
}
