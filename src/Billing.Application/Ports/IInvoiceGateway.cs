using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Domain.Invoices;

namespace Billing.Application.Ports;

/// <summary>Invoices and their refunds. Adapters map SDK types to this port's records; none cross it.</summary>
public interface IInvoiceGateway
{
    /// <summary>A customer's invoices, newest first (the most recent few hundred), to fill the invoice book once.</summary>
    Task<Result<IReadOnlyList<InvoiceFacts>>> ListInvoicesAsync(string customerId, CancellationToken cancellationToken);

    Task<Result<InvoiceFacts>> GetInvoiceAsync(string invoiceId, CancellationToken cancellationToken);

    /// <summary>The invoice a payment intent paid, or null when it paid none.</summary>
    Task<Result<string?>> FindInvoiceOfPaymentAsync(string paymentIntentId, CancellationToken cancellationToken);

    /// <summary>
    /// Refunds <paramref name="amount"/> (all that is left when null) of what the invoice's payment collected; the
    /// refund's metadata names the invoice. Stripe refuses more than was paid.
    /// </summary>
    Task<Result<GatewayRefund>> RefundInvoiceAsync(string invoiceId, long? amount, string reason, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result<IReadOnlyList<GatewayRefund>>> ListRefundsAsync(string paymentIntentId, CancellationToken cancellationToken);

    /// <summary>The charge, or null when Stripe has none by that id.</summary>
    Task<Result<GatewayCharge?>> GetChargeAsync(string chargeId, CancellationToken cancellationToken);

    /// <summary>Whether Stripe lists this charge among the invoice's payments (a charge made without a payment intent).</summary>
    Task<Result<bool>> InvoicePaidByChargeAsync(string invoiceId, string chargeId, CancellationToken cancellationToken);

    /// <summary>The refunds of a charge (one made without a payment intent), newest first.</summary>
    Task<Result<IReadOnlyList<GatewayRefund>>> ListRefundsOfChargeAsync(string chargeId, CancellationToken cancellationToken);
}
