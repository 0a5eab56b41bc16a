using Billing.Application.Ports;
using Billing.Application.Webhooks.SetUp;
using Billing.Sandbox.Stripe;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Infrastructure.Tests;

/// <summary>
/// <c>webhooks setup</c> against the Stripe stand-in, through the real adapter: the endpoint sends exactly the handled
/// events in the API version Stripe.net speaks, its secret is handed back once, a second run changes nothing, and an
/// endpoint in another version is left for the operator to delete beside a new one.
/// </summary>
public sealed class WebhookEndpointSetupTests
{
    private const string Url = "https://billing.example.com/api/v1/billing/webhooks/stripe";

    private static async Task<WebhookSetupReport> SetUpAsync(Adapters adapters, bool dryRun = false, string url = Url)
    {
        await using var scope = adapters.Services.CreateAsyncScope();
        var handler = new SetUpWebhookEndpointHandler(scope.ServiceProvider.GetRequiredService<IWebhookEndpointGateway>());
        var result = await handler.Handle(new SetUpWebhookEndpoint(url, dryRun), default);
        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        return result.Value;
    }

    [Test]
    public async Task The_endpoint_is_created_once_with_the_handled_events_in_the_pinned_version_and_its_secret_is_handed_back_once()
    {
        await using var stripe = new StripeStandIn();
        await stripe.StartAsync();
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite, new() { ["STRIPE_API_KEY"] = stripe.ApiKey, ["STRIPE_API_BASE"] = stripe.BaseUrl.AbsoluteUri });

        var dry = await SetUpAsync(adapters, dryRun: true);
        Assert.That(stripe.WebhookEndpoints(), Is.Empty, "a dry run changes nothing");
        var created = await SetUpAsync(adapters);
        var again = await SetUpAsync(adapters);

        var endpoint = stripe.WebhookEndpoints().Single();
        Assert.That(dry.Changes.Single(), Does.StartWith("create an endpoint"));
        Assert.That(endpoint["api_version"]!.GetValue<string>(), Is.EqualTo(global::Stripe.StripeConfiguration.ApiVersion));
        Assert.That(endpoint["enabled_events"]!.AsArray().Select(e => e!.GetValue<string>()), Does.Contain("customer.subscription.updated").And.Contain("charge.dispute.created").And.Not.Contain("*"));
        Assert.That(created.SigningSecret, Is.EqualTo(endpoint["secret"]!.GetValue<string>()));
        Assert.That(again.UpToDate, Is.True);
        Assert.That(again.SigningSecret, Is.Null, "Stripe shows the secret only when it creates the endpoint");
    }

    [Test]
    public async Task An_endpoint_missing_events_is_updated_and_one_in_another_version_gets_a_new_one_beside_it()
    {
        await using var stripe = new StripeStandIn();
        await stripe.StartAsync();
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite, new() { ["STRIPE_API_KEY"] = stripe.ApiKey, ["STRIPE_API_BASE"] = stripe.BaseUrl.AbsoluteUri });
        var pinned = stripe.AddWebhookEndpoint(Url, ["invoice.paid", "balance.available"], global::Stripe.StripeConfiguration.ApiVersion);
        const string elsewhere = "https://billing-eu.example.com/api/v1/billing/webhooks/stripe";
        var old = stripe.AddWebhookEndpoint(elsewhere, ["invoice.paid"]);

        var updated = await SetUpAsync(adapters);
        var replaced = await SetUpAsync(adapters, url: elsewhere);

        var afterUpdate = stripe.WebhookEndpoints().Single(e => e["id"]!.GetValue<string>() == pinned);
        Assert.That(updated.Changes, Has.Some.StartWith("add ").And.Some.StartWith("stop sending balance.available"));
        Assert.That(updated.SigningSecret, Is.Null);
        Assert.That(afterUpdate["enabled_events"]!.AsArray().Select(e => e!.GetValue<string>()), Does.Contain("customer.subscription.updated").And.Not.Contain("balance.available"));
        Assert.That(replaced.ToDelete.Single(), Does.StartWith(old).And.Contain(StripeStandIn.AccountDefaultApiVersion));
        Assert.That(replaced.SigningSecret, Does.StartWith("whsec_"));
        Assert.That(stripe.WebhookEndpoints().Count(e => e["url"]!.GetValue<string>() == elsewhere), Is.EqualTo(2), "Stripe cannot change an endpoint's version: a new one stands beside the old");
    }
}
