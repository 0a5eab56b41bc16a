using Billing.Application.Common;
using Billing.Application.Common.Results;

namespace Billing.Application.Ports;

/// <summary>A customer's cards, and paying an open invoice with one. Adapters map SDK types to this port's records; none cross it.</summary>
public interface IPaymentMethodGateway
{
    /// <summary>
    /// Makes the card a completed setup saved the default of the customer and, when given, of the subscription
    /// (Stripe charges a subscription's own default first); returns the card's payment method id.
    /// </summary>
    Task<Result<string>> AdoptSetupPaymentMethodAsync(string setupIntentId, string customerId, string? subscriptionId, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>The customer's cards; the default is the subscription's default card, else the customer's.</summary>
    Task<Result<IReadOnlyList<SavedPaymentMethod>>> ListPaymentMethodsAsync(string customerId, string? subscriptionId, CancellationToken cancellationToken);

    /// <summary>Tries to collect an open invoice now with this card; a decline is <see cref="ErrorKind.PaymentDeclined"/>.</summary>
    Task<Result<GatewayInvoice>> PayInvoiceAsync(string invoiceId, string paymentMethodId, string idempotencyKey, CancellationToken cancellationToken);
}
