using Billing.Infrastructure.Configuration;
using Stripe;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// The process's Stripe clients, on factory-made HttpClients; none when STRIPE_API_KEY is unset. Two of them share
/// one request budget: users' requests, and background work's (the inbox, the outbox, reconciliation), which always
/// leaves users a reserve. A scope says which it is (<see cref="Persistence.ScopeRole"/>); nothing ambient does.
/// </summary>
internal sealed class StripeClientProvider
{
    public const string HttpClientName = "stripe";

    public const string BackgroundHttpClientName = "stripe-background";

    private readonly IStripeClient? _forUsers;

    private readonly IStripeClient? _forBackground;

    public StripeClientProvider(StripeOptions options, IHttpClientFactory httpClients)
    {
        TestClock = options.TestClock;
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            return;
        }

        // Stripe.net retries idempotent failures itself (with idempotency keys on POSTs); two retries as Stripe advises.
        IStripeClient Client(string name) => new StripeClient(
            apiKey: options.ApiKey,
            httpClient: new SystemNetHttpClient(httpClients.CreateClient(name), maxNetworkRetries: 2),
            apiBase: options.ApiBase?.AbsoluteUri.TrimEnd('/'));
        _forUsers = Client(HttpClientName);
        _forBackground = Client(BackgroundHttpClientName);
    }

    /// <summary>The Stripe test clock new customers are made on (a sandbox's or a test-mode rehearsal's); null in production.</summary>
    public string? TestClock { get; }

    /// <summary>The client for a scope of background work or of a user's request; null without an API key.</summary>
    public IStripeClient? For(bool background) => background ? _forBackground : _forUsers;
}
