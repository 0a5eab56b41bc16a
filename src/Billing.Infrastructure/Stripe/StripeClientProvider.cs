using Billing.Infrastructure.Configuration;
using Stripe;

namespace Billing.Infrastructure.Stripe;

/// <summary>One Stripe client for the process, on a factory-made HttpClient; none when STRIPE_API_KEY is unset.</summary>
internal sealed class StripeClientProvider
{
    public const string HttpClientName = "stripe";

    public StripeClientProvider(StripeOptions options, IHttpClientFactory httpClients)
    {
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            return;
        }

        // Stripe.net retries idempotent failures itself (with idempotency keys on POSTs); two retries as Stripe advises.
        var http = new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), maxNetworkRetries: 2);
        Client = new StripeClient(
            apiKey: options.ApiKey,
            httpClient: http,
            apiBase: options.ApiBase?.AbsoluteUri.TrimEnd('/'));
    }

    public IStripeClient? Client { get; }
}
