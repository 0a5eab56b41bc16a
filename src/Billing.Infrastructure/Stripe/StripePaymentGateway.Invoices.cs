using Billing.Application.Common.Limits;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;
using Microsoft.Extensions.Logging;
using Stripe;
using Stripe.Checkout;

namespace Billing.Infrastructure.Stripe;

/// <summary>The invoice and refund calls of the Stripe adapter.</summary>
internal sealed partial class StripePaymentGateway
{
    public Task<Result<IReadOnlyList<Billing.Domain.Invoices.InvoiceFacts>>> ListInvoicesAsync(string customerId, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<Billing.Domain.Invoices.InvoiceFacts>>("list invoices", async client =>
        {
            var all = new List<Billing.Domain.Invoices.InvoiceFacts>();
            var service = new InvoiceService(client);
            string? after = null;

            // Three pages reach back far enough for a first fill; webhooks keep the book from then on.
            for (var page = 0; page < 3; page++)
            {
                var listed = await service.ListAsync(new InvoiceListOptions { Customer = customerId, Limit = 100, StartingAfter = after }, cancellationToken: cancellationToken);
                all.AddRange(listed.Data.Where(i => i.Status != "draft").Select(StripeMapper.ToInvoiceFacts));
                if (!listed.HasMore || listed.Data.Count == 0)
                {
                    break;
                }

                after = listed.Data[^1].Id;
            }

            return all;
        });

    public Task<Result<Billing.Domain.Invoices.InvoiceFacts>> GetInvoiceAsync(string invoiceId, CancellationToken cancellationToken) =>
        CallAsync("get invoice", async client => StripeMapper.ToInvoiceFacts(await new InvoiceService(client).GetAsync(invoiceId, cancellationToken: cancellationToken)));

    public Task<Result<string?>> FindInvoiceOfPaymentAsync(string paymentIntentId, CancellationToken cancellationToken) =>
        CallAsync<string?>("find invoice of payment", async client =>
            (await new InvoicePaymentService(client).ListAsync(
                new InvoicePaymentListOptions { Payment = new InvoicePaymentPaymentOptions { Type = "payment_intent", PaymentIntent = paymentIntentId }, Limit = 1 },
                cancellationToken: cancellationToken)).Data.FirstOrDefault()?.InvoiceId);

    public Task<Result<GatewayRefund>> RefundInvoiceAsync(string invoiceId, long? amount, string reason, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("refund invoice", async client =>
        {
            var paid = await PaidPaymentOfAsync(client, invoiceId, cancellationToken)
                ?? throw new InvalidOperationException($"Invoice {invoiceId} is paid but Stripe lists no paid payment of it.");
            return StripeMapper.ToGatewayRefund(await new RefundService(client).CreateAsync(
                new RefundCreateOptions
                {
                    PaymentIntent = paid.Payment.PaymentIntentId,
                    Amount = amount,
                    Reason = reason,
                    // The request's key comes back with the refund, so a request whose refund was made already finds it.
                    Metadata = new Dictionary<string, string> { ["invoice_id"] = invoiceId, ["billing_request"] = idempotencyKey },
                },
                Keyed(idempotencyKey),
                cancellationToken));
        });

    public Task<Result<IReadOnlyList<GatewayRefund>>> ListRefundsAsync(string paymentIntentId, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<GatewayRefund>>("list refunds", async client =>
            (await new RefundService(client).ListAsync(new RefundListOptions { PaymentIntent = paymentIntentId, Limit = 100 }, cancellationToken: cancellationToken))
                .Data.Select(StripeMapper.ToGatewayRefund).ToList());

    public Task<Result<GatewayCharge?>> GetChargeAsync(string chargeId, CancellationToken cancellationToken) =>
        CallAsync<GatewayCharge?>("get charge", async client =>
        {
            try
            {
                var charge = await new ChargeService(client).GetAsync(chargeId, cancellationToken: cancellationToken);
                return new GatewayCharge(charge.Id, charge.CustomerId, charge.Amount, charge.Currency);
            }
            catch (StripeException e) when (e.StripeError?.Code == "resource_missing")
            {
                return null;
            }
        });

    public Task<Result<bool>> InvoicePaidByChargeAsync(string invoiceId, string chargeId, CancellationToken cancellationToken) =>
        CallAsync("list payments of invoice", async client =>
            (await new InvoicePaymentService(client).ListAsync(new InvoicePaymentListOptions { Invoice = invoiceId, Limit = 10 }, cancellationToken: cancellationToken))
                .Data.Any(p => p.Payment?.ChargeId == chargeId));

    public Task<Result<IReadOnlyList<GatewayRefund>>> ListRefundsOfChargeAsync(string chargeId, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<GatewayRefund>>("list refunds of charge", async client =>
            (await new RefundService(client).ListAsync(new RefundListOptions { Charge = chargeId, Limit = 100 }, cancellationToken: cancellationToken))
                .Data.Select(StripeMapper.ToGatewayRefund).ToList());
}
