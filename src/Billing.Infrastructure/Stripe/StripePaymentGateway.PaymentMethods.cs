using Billing.Application.Common;
using Billing.Application.Common.Limits;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;
using Microsoft.Extensions.Logging;
using Stripe;
using Stripe.Checkout;

namespace Billing.Infrastructure.Stripe;

/// <summary>The payment method calls of the Stripe adapter.</summary>
internal sealed partial class StripePaymentGateway
{
    public Task<Result<string>> AdoptSetupPaymentMethodAsync(string setupIntentId, string customerId, string? subscriptionId, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("adopt payment method", async client =>
        {
            var setup = await new SetupIntentService(client).GetAsync(setupIntentId, cancellationToken: cancellationToken);
            if (setup.Status != "succeeded" || setup.PaymentMethodId is null || setup.CustomerId != customerId)
            {
                throw new InvalidOperationException($"Setup intent {setupIntentId} did not save a card for customer {customerId} (status {setup.Status}).");
            }

            await new CustomerService(client).UpdateAsync(
                customerId,
                new CustomerUpdateOptions { InvoiceSettings = new CustomerInvoiceSettingsOptions { DefaultPaymentMethod = setup.PaymentMethodId } },
                Keyed($"{idempotencyKey}-customer"),
                cancellationToken);
            if (subscriptionId is not null)
            {
                await new SubscriptionService(client).UpdateAsync(
                    subscriptionId,
                    new SubscriptionUpdateOptions { DefaultPaymentMethod = setup.PaymentMethodId },
                    Keyed($"{idempotencyKey}-subscription"),
                    cancellationToken);
            }

            return setup.PaymentMethodId;
        });

    public Task<Result<GatewayInvoice>> PayInvoiceAsync(string invoiceId, string paymentMethodId, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("pay invoice", async client =>
            StripeMapper.ToGatewayInvoice(await new InvoiceService(client).PayAsync(
                invoiceId,
                new InvoicePayOptions { PaymentMethod = paymentMethodId, OffSession = true },
                Keyed(idempotencyKey),
                cancellationToken)));

    public Task<Result<IReadOnlyList<SavedPaymentMethod>>> ListPaymentMethodsAsync(string customerId, string? subscriptionId, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<SavedPaymentMethod>>("list payment methods", async client =>
        {
            var customer = await new CustomerService(client).GetAsync(customerId, cancellationToken: cancellationToken);
            // Every type at once; of them, the cards and the bank accounts Checkout can save (a Link wallet, say, is left out).
            var methods = await new CustomerPaymentMethodService(client).ListAsync(
                customerId,
                new CustomerPaymentMethodListOptions { Limit = 100 },
                cancellationToken: cancellationToken);

            // Stripe charges a subscription's own default card before the customer's.
            var subscriptionDefault = subscriptionId is null
                ? null
                : (await new SubscriptionService(client).GetAsync(subscriptionId, cancellationToken: cancellationToken)).DefaultPaymentMethodId;
            var defaultId = subscriptionDefault ?? customer.InvoiceSettings?.DefaultPaymentMethodId;
            return methods.Data.Where(m => WaysToPay.IsKnown(m.Type)).Select(m => StripeMapper.ToSavedPaymentMethod(m, defaultId)).ToList();
        });
}
