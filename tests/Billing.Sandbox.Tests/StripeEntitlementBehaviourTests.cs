using Billing.Sandbox.Stripe;
using Stripe;
using Stripe.Entitlements;

namespace Billing.Sandbox.Tests;

/// <summary>
/// The stand-in's Entitlements features behave as Stripe's reference says: name and lookup key required and short, the
/// lookup key unique among active features and fixed, a product carries a feature once, detaching deletes the
/// attachment, and an unknown product is 404.
/// </summary>
public sealed class StripeEntitlementBehaviourTests
{
    private StripeStandIn _stripe = null!;
    private StripeClient _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _stripe = new StripeStandIn();
        await _stripe.StartAsync();
        _client = new StripeClient(apiKey: _stripe.ApiKey, apiBase: _stripe.BaseUrl.AbsoluteUri.TrimEnd('/'), httpClient: new SystemNetHttpClient(maxNetworkRetries: 0));
        await new ProductService(_client).CreateAsync(new ProductCreateOptions { Id = "prod_plan", Name = "Plan" });
    }

    [TearDown]
    public async Task StopAsync() => await _stripe.DisposeAsync();

    [Test]
    public async Task A_lookup_key_names_one_active_feature_and_never_changes()
    {
        var features = new FeatureService(_client);
        var sso = await features.CreateAsync(new FeatureCreateOptions { Name = "sso", LookupKey = "billing:sso", Metadata = new() { ["managed_by"] = "billing-service" } });

        var twice = await Assert.ThrowsAsync<StripeException>(() => features.CreateAsync(new FeatureCreateOptions { Name = "sso again", LookupKey = "billing:sso" }));
        var nameless = await Assert.ThrowsAsync<StripeException>(() => features.CreateAsync(new FeatureCreateOptions { LookupKey = "billing:x" }));
        var tooLong = await Assert.ThrowsAsync<StripeException>(() => features.CreateAsync(new FeatureCreateOptions { Name = "x", LookupKey = new string('k', 81) }));
        var found = await features.ListAsync(new FeatureListOptions { LookupKey = "billing:sso" });

        Assert.That(sso.Id, Does.StartWith("feat_"));
        Assert.That(twice!.StripeError.Param, Is.EqualTo("lookup_key"));
        Assert.That(nameless!.StripeError.Message, Is.EqualTo("Missing required param: name."));
        Assert.That(tooLong!.StripeError.Code, Is.EqualTo("string_length_too_long"));
        Assert.That(found.Data.Single().Metadata["managed_by"], Is.EqualTo("billing-service"));
    }

    [Test]
    public async Task A_product_carries_a_feature_once_and_detaching_deletes_the_attachment()
    {
        var feature = await new FeatureService(_client).CreateAsync(new FeatureCreateOptions { Name = "seats: 5", LookupKey = "billing:seats:5" });
        var products = new ProductFeatureService(_client);

        var attached = await products.CreateAsync("prod_plan", new ProductFeatureCreateOptions { EntitlementFeature = feature.Id });
        var twice = await Assert.ThrowsAsync<StripeException>(() => products.CreateAsync("prod_plan", new ProductFeatureCreateOptions { EntitlementFeature = feature.Id }));
        var listed = await products.ListAsync("prod_plan");
        var detached = await products.DeleteAsync("prod_plan", attached.Id);
        var unknown = await Assert.ThrowsAsync<StripeException>(() => products.ListAsync("prod_nothing"));

        Assert.That(attached.EntitlementFeature.LookupKey, Is.EqualTo("billing:seats:5"));
        Assert.That(twice!.HttpStatusCode, Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
        Assert.That(listed.Data.Single().Id, Is.EqualTo(attached.Id));
        Assert.That(detached.Deleted, Is.True);
        Assert.That(_stripe.ProductFeatureKeys("prod_plan"), Is.Empty);
        Assert.That(unknown!.StripeError.Message, Is.EqualTo("No such product: 'prod_nothing'"));
    }

    [Test]
    public async Task An_archived_feature_can_be_neither_edited_nor_attached()
    {
        var features = new FeatureService(_client);
        var feature = await features.CreateAsync(new FeatureCreateOptions { Name = "old", LookupKey = "billing:old" });
        await features.UpdateAsync(feature.Id, new FeatureUpdateOptions { Active = false });

        var edit = await Assert.ThrowsAsync<StripeException>(() => features.UpdateAsync(feature.Id, new FeatureUpdateOptions { Name = "new" }));
        var attach = await Assert.ThrowsAsync<StripeException>(() => new ProductFeatureService(_client).CreateAsync("prod_plan", new ProductFeatureCreateOptions { EntitlementFeature = feature.Id }));
        var reused = await features.CreateAsync(new FeatureCreateOptions { Name = "old again", LookupKey = "billing:old" });

        Assert.That(edit!.HttpStatusCode, Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
        Assert.That(attach!.HttpStatusCode, Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
        Assert.That(reused.Id, Is.Not.EqualTo(feature.Id), "an archived lookup key may be used again");
    }
}
