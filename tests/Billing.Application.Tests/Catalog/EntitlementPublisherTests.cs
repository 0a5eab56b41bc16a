using Billing.Application.Catalog;
using Billing.Application.Catalog.Publish;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Moq;

namespace Billing.Application.Tests.Catalog;

/// <summary>The tiers' entitlements mirrored as Stripe features on their products, and nothing done twice.</summary>
public sealed class EntitlementPublisherTests
{
    private readonly List<GatewayFeature> _features = [];
    private readonly Dictionary<string, List<GatewayProductFeature>> _attached = new(StringComparer.Ordinal);
    private Mock<IEntitlementCatalogGateway> _gateway = null!;

    [SetUp]
    public void FreshStripe()
    {
        _features.Clear();
        _attached.Clear();
        _gateway = new Mock<IEntitlementCatalogGateway>();
        _gateway.Setup(g => g.ListFeaturesAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => Result<IReadOnlyList<GatewayFeature>>.Success(_features.ToList()));
        _gateway.Setup(g => g.CreateFeatureAsync(It.IsAny<GatewayFeature>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((GatewayFeature f, string _, CancellationToken _) =>
            {
                var created = f with { Id = $"feat_{_features.Count}" };
                _features.Add(created);
                return Result<GatewayFeature>.Success(created);
            });
        _gateway.Setup(g => g.ListProductFeaturesAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string product, CancellationToken _) => Result<IReadOnlyList<GatewayProductFeature>>.Success(_attached.GetValueOrDefault(product)?.ToList() ?? []));
        _gateway.Setup(g => g.AttachFeatureAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string product, string feature, string _, CancellationToken _) =>
            {
                var attached = new GatewayProductFeature($"prodft_{product}_{feature}", _features.Single(f => f.Id == feature));
                (_attached.TryGetValue(product, out var list) ? list : _attached[product] = []).Add(attached);
                return Result<GatewayProductFeature>.Success(attached);
            });
        _gateway.Setup(g => g.DetachFeatureAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string product, string id, CancellationToken _) => Result<bool>.Success(_attached[product].RemoveAll(a => a.Id == id) == 1));
    }

    private static PlanCatalog Catalog(string starterSeats) => new(new PlanCatalogOptions
    {
        Tiers = new(StringComparer.OrdinalIgnoreCase)
        {
            ["starter"] = new TierDefinition { Prices = new() { ["monthly"] = 1900 }, Features = new() { ["seats"] = starterSeats, ["sso"] = "false" } },
            ["enterprise"] = new TierDefinition { Prices = new() { ["monthly"] = 9900 }, Features = new() { ["seats"] = "50", ["sso"] = "true" } },
        },
    });

    [Test]
    public async Task Each_number_and_each_switch_that_is_on_is_a_feature_on_its_tiers_product_and_a_second_run_changes_nothing()
    {
        var publisher = new EntitlementPublisher(Catalog("3"), _gateway.Object);

        var first = await publisher.PublishAsync(dryRun: false, default);
        var second = await publisher.PublishAsync(dryRun: false, default);

        Assert.That(_features.Select(f => f.LookupKey), Is.EquivalentTo(new[] { "billing:seats:3", "billing:seats:50", "billing:sso" }));
        Assert.That(_attached["billing_starter"].Select(a => a.Feature.LookupKey), Is.EqualTo(new[] { "billing:seats:3" }), "a switch that is off is not attached");
        Assert.That(_attached["billing_enterprise"].Select(a => a.Feature.LookupKey), Is.EquivalentTo(new[] { "billing:seats:50", "billing:sso" }));
        Assert.That(first.Value.Select(c => c.Action), Is.EquivalentTo(new[] { "create feature", "create feature", "create feature", "attach feature", "attach feature", "attach feature" }));
        Assert.That(second.Value, Is.Empty);
    }

    [Test]
    public async Task A_changed_number_attaches_the_new_feature_and_detaches_the_old_one_but_leaves_features_attached_by_hand()
    {
        await new EntitlementPublisher(Catalog("3"), _gateway.Object).PublishAsync(dryRun: false, default);
        _features.Add(new GatewayFeature("feat_hand", "priority_support", "priority_support", new Dictionary<string, string>()));
        _attached["billing_starter"].Add(new GatewayProductFeature("prodft_hand", _features[^1]));

        var dryRun = await new EntitlementPublisher(Catalog("5"), _gateway.Object).PublishAsync(dryRun: true, default);
        var heldAfterDryRun = _attached["billing_starter"].Select(a => a.Feature.LookupKey).ToList();
        var changed = await new EntitlementPublisher(Catalog("5"), _gateway.Object).PublishAsync(dryRun: false, default);

        Assert.That(dryRun.Value, Is.EqualTo(changed.Value), "the dry run says exactly what the run does");
        Assert.That(heldAfterDryRun, Is.EquivalentTo(new[] { "billing:seats:3", "priority_support" }), "a dry run changes nothing");
        Assert.That(_attached["billing_starter"].Select(a => a.Feature.LookupKey), Is.EquivalentTo(new[] { "billing:seats:5", "priority_support" }));
        Assert.That(changed.Value.Select(c => (c.Action, c.Detail)), Is.EquivalentTo(new[] { ("create feature", "seats: 5"), ("attach feature", "billing:seats:5"), ("detach feature", "billing:seats:3") }));
    }

    [Test]
    public async Task A_catalog_without_entitlements_asks_stripe_nothing()
    {
        var catalog = TestCatalog.Create();

        var changes = await new EntitlementPublisher(catalog, _gateway.Object).PublishAsync(dryRun: false, default);

        Assert.That(changes.Value, Is.Empty);
        _gateway.VerifyNoOtherCalls();
    }
}
