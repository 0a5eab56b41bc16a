using Billing.Sandbox.Stripe;
using Stripe;
using Stripe.BillingPortal;

namespace Billing.Sandbox.Tests;

/// <summary>
/// The stand-in's customer portal configurations behave as Stripe's reference says: features are required, an enabled
/// subscription update needs products whose prices are recurring prices of that product, only Stripe's words for
/// reasons and conditions, and a session may name only an active configuration.
/// </summary>
public sealed class StripePortalConfigurationBehaviourTests
{
    private StripeStandIn _stripe = null!;
    private StripeClient _client = null!;
    private string _monthly = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _stripe = new StripeStandIn();
        await _stripe.StartAsync();
        _client = new StripeClient(apiKey: _stripe.ApiKey, apiBase: _stripe.BaseUrl.AbsoluteUri.TrimEnd('/'), httpClient: new SystemNetHttpClient(maxNetworkRetries: 0));
        await new ProductService(_client).CreateAsync(new ProductCreateOptions { Id = "prod_a", Name = "A" });
        await new ProductService(_client).CreateAsync(new ProductCreateOptions { Id = "prod_b", Name = "B" });
        _monthly = (await new PriceService(_client).CreateAsync(new PriceCreateOptions { Product = "prod_a", UnitAmount = 1900, Currency = "usd", Recurring = new PriceRecurringOptions { Interval = "month" } })).Id;
    }

    [TearDown]
    public async Task StopAsync() => await _stripe.DisposeAsync();

    private static ConfigurationFeaturesOptions Updating(string product, string price, string reason = "too_expensive") => new()
    {
        SubscriptionUpdate = new ConfigurationFeaturesSubscriptionUpdateOptions
        {
            Enabled = true,
            DefaultAllowedUpdates = ["price"],
            ProrationBehavior = "create_prorations",
            Products = [new ConfigurationFeaturesSubscriptionUpdateProductOptions { Product = product, Prices = [price] }],
            ScheduleAtPeriodEnd = new ConfigurationFeaturesSubscriptionUpdateScheduleAtPeriodEndOptions { Conditions = [new() { Type = "decreasing_item_amount" }] },
        },
        SubscriptionCancel = new ConfigurationFeaturesSubscriptionCancelOptions
        {
            Enabled = true,
            Mode = "at_period_end",
            CancellationReason = new ConfigurationFeaturesSubscriptionCancelCancellationReasonOptions { Enabled = true, Options = [reason] },
        },
    };

    [Test]
    public async Task A_configuration_offers_recurring_prices_of_each_product_and_is_read_back_as_sent()
    {
        var service = new ConfigurationService(_client);

        var created = await service.CreateAsync(new ConfigurationCreateOptions { Features = Updating("prod_a", _monthly), Metadata = new() { ["managed_by"] = "billing-service" } });
        var foreign = await Assert.ThrowsAsync<StripeException>(() => service.CreateAsync(new ConfigurationCreateOptions { Features = Updating("prod_b", _monthly) }));
        var reason = await Assert.ThrowsAsync<StripeException>(() => service.CreateAsync(new ConfigurationCreateOptions { Features = Updating("prod_a", _monthly, "bored") }));
        var featureless = await Assert.ThrowsAsync<StripeException>(() => service.CreateAsync(new ConfigurationCreateOptions { DefaultReturnUrl = "https://app.example" }));
        var listed = await service.ListAsync(new ConfigurationListOptions { Active = true });

        Assert.That(created.Features.SubscriptionUpdate.Products.Single().Prices, Is.EqualTo(new[] { _monthly }));
        Assert.That(created.Features.SubscriptionUpdate.ScheduleAtPeriodEnd.Conditions.Single().Type, Is.EqualTo("decreasing_item_amount"));
        Assert.That(created.Features.SubscriptionCancel.CancellationReason.Options, Is.EqualTo(new[] { "too_expensive" }));
        Assert.That(foreign!.StripeError.Message, Does.Contain("does not belong to the product prod_b"));
        Assert.That(reason!.StripeError.Code, Is.EqualTo("parameter_invalid_string"));
        Assert.That(featureless!.StripeError.Message, Is.EqualTo("Missing required param: features."));
        Assert.That(listed.Data.Single().Metadata["managed_by"], Is.EqualTo("billing-service"));
    }

    [Test]
    public async Task A_portal_session_may_name_only_an_active_configuration()
    {
        var service = new ConfigurationService(_client);
        var configuration = await service.CreateAsync(new ConfigurationCreateOptions { Features = Updating("prod_a", _monthly) });
        var customer = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions { Email = "a@example.com" });
        var sessions = new SessionService(_client);

        var session = await sessions.CreateAsync(new SessionCreateOptions { Customer = customer.Id, Configuration = configuration.Id });
        await service.UpdateAsync(configuration.Id, new ConfigurationUpdateOptions { Active = false });
        var inactive = await Assert.ThrowsAsync<StripeException>(() => sessions.CreateAsync(new SessionCreateOptions { Customer = customer.Id, Configuration = configuration.Id }));
        var unknown = await Assert.ThrowsAsync<StripeException>(() => sessions.CreateAsync(new SessionCreateOptions { Customer = customer.Id, Configuration = "bpc_nothing" }));

        Assert.That(session.ConfigurationId, Is.EqualTo(configuration.Id));
        Assert.That(inactive!.StripeError.Param, Is.EqualTo("configuration"));
        Assert.That(unknown!.StripeError.Message, Is.EqualTo("No such configuration: 'bpc_nothing'"));
    }
}
