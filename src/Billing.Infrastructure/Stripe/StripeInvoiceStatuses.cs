using Billing.Domain.Invoices;

namespace Billing.Infrastructure.Stripe;

/// <summary>Stripe's invoice statuses (<c>draft</c>, <c>open</c>, <c>paid</c>, <c>uncollectible</c>, <c>void</c>), read into the domain's.</summary>
internal static class StripeInvoiceStatuses
{
    public static InvoiceStatus? Of(string? status) => status switch
    {
        "draft" => InvoiceStatus.Draft,
        "open" => InvoiceStatus.Open,
        "paid" => InvoiceStatus.Paid,
        "uncollectible" => InvoiceStatus.Uncollectible,
        "void" => InvoiceStatus.Void,
        _ => null,
    };

    /// <summary>For an invoice read from Stripe itself, whose status the pinned API version always names.</summary>
    public static InvoiceStatus Known(string? status) =>
        Of(status) ?? throw new InvalidOperationException($"Stripe reported an invoice status this service does not know: {status}.");
}
