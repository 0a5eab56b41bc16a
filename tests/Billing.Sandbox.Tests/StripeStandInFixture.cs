using Billing.Sandbox.Stripe;
using Stripe;

namespace Billing.Sandbox.Tests;

/// <summary>
/// A fresh Stripe stand-in for each test, and Stripe.net's client against it (no retries: a refusal is the answer
/// under test); <see cref="SeedAsync"/> adds what a test class starts from.
/// </summary>
public abstract class StripeStandInFixture
{
    protected StripeStandIn StandIn { get; private set; } = null!;

    protected StripeClient Client { get; private set; } = null!;

    [SetUp]
    public async Task StartStandInAsync()
    {
        StandIn = new StripeStandIn();
        await StandIn.StartAsync();
        Client = new StripeClient(apiKey: StandIn.ApiKey, apiBase: StandIn.BaseUrl.AbsoluteUri.TrimEnd('/'), httpClient: new SystemNetHttpClient(maxNetworkRetries: 0));
        await SeedAsync();
    }

    [TearDown]
    public async Task StopStandInAsync() => await StandIn.DisposeAsync();

    protected virtual Task SeedAsync() => Task.CompletedTask;

    /// <summary>The product <c>prod_plan</c> and its monthly price <c>starter_monthly</c>.</summary>
    protected async Task SeedPlanAsync(long unitAmount = 1900, string currency = "usd")
    {
        await new ProductService(Client).CreateAsync(new ProductCreateOptions { Id = "prod_plan", Name = "Plan" });
        await new PriceService(Client).CreateAsync(new PriceCreateOptions { Product = "prod_plan", UnitAmount = unitAmount, Currency = currency, LookupKey = "starter_monthly", Recurring = new PriceRecurringOptions { Interval = "month" } });
    }
}
