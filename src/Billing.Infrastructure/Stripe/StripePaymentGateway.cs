using Billing.Application.Common.Limits;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;
using Microsoft.Extensions.Logging;
using Stripe;
using Stripe.Checkout;

namespace Billing.Infrastructure.Stripe;

/// <summary>The payment port on Stripe.net. SDK types stop here: every answer is mapped to the port's records.</summary>
internal sealed partial class StripePaymentGateway(StripeClientProvider clients, Persistence.ScopeRole role, StripeRetryPolicy retries, StripeCallCounter counter, Billing.Application.Common.BillingMetrics metrics, ILogger<StripePaymentGateway> logger) : ICheckoutGateway, ICustomerGateway, IPaymentMethodGateway, IInvoiceGateway, ISubscriptionGateway, ISubscriptionScheduleGateway, ICatalogGateway, IEntitlementCatalogGateway, IPortalConfigurationGateway, ICustomerBalanceGateway, IWebhookEndpointGateway
{
    /// <summary>
    /// Every subscription this adapter reads or changes comes back with its latest invoice (open or not, its hosted
    /// page, Stripe's next retry) and its discount (coupon terms, promotion code) in the same call.
    /// </summary>
    // The item's price in the subscription's currency is in currency_options, which Stripe shows only when expanded.
    private static List<string> SubscriptionExpansions => ["latest_invoice", "discounts.source.coupon", "discounts.promotion_code", "items.data.price.currency_options"];

    /// <summary>The payment that paid an invoice (API 2025-03-31 and later: an invoice payment naming its intent), if any.</summary>
    private static async Task<InvoicePayment?> PaidPaymentOfAsync(IStripeClient client, string invoiceId, CancellationToken cancellationToken) =>
        (await new InvoicePaymentService(client).ListAsync(new InvoicePaymentListOptions { Invoice = invoiceId, Limit = 10 }, cancellationToken: cancellationToken))
            .Data.FirstOrDefault(p => p.Status == "paid" && p.Payment?.PaymentIntentId is not null);

    private static RequestOptions Keyed(string idempotencyKey) => new() { IdempotencyKey = StripeIdempotencyKey.Of(idempotencyKey) };

    private async Task<Result<T>> CallAsync<T>(string operation, Func<IStripeClient, Task<T>> call)
    {
        if (clients.For(background: role.Worker) is not { } client)
        {
            return StripeErrors.MissingApiKey;
        }

        counter.Count();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(client);
            }
            catch (StripeException e) when (StripeErrors.IsBusy(e) && attempt < retries.MaxAttempts)
            {
                if ((int)e.HttpStatusCode == 429)
                {
                    metrics.StripeRateLimited.Add(1);
                }

                var delay = retries.DelayBefore(attempt);
                logger.LogInformation("Stripe {Operation} answered {Status} ({Code}); retry {Attempt} in {Delay} ms", operation, (int)e.HttpStatusCode, e.StripeError?.Code, attempt, (int)delay.TotalMilliseconds);
                await Task.Delay(delay);
            }
            catch (StripeException e)
            {
                return StripeErrors.From(e, logger, operation);
            }
            catch (HttpRequestException e)
            {
                return StripeErrors.Unreachable(e, logger, operation);
            }
            catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
            {
                return StripeErrors.Unreachable(e, logger, operation);
            }
        }
    }

}
