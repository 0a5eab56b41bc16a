using Billing.Application.Catalog;
using Billing.Application.Common;
using Billing.Application.Catalog.Publish;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;
using Moq;

namespace Billing.Application.Tests.Catalog;

/// <summary>Putting the catalog into Stripe: what changes, what is left alone, and that a dry run writes nothing.</summary>
public sealed class PublishCatalogTests
{
    private Mock<ICatalogGateway> _gateway = null!;
    private Mock<IPortalConfigurationGateway> _portal = null!;
    private readonly Dictionary<string, GatewayProduct> _products = [];
    private readonly List<GatewayPrice> _prices = [];

    [SetUp]
    public void FreshMocks()
    {
        _products.Clear();
        _prices.Clear();
        _gateway = new Mock<ICatalogGateway>();
        _portal = new Mock<IPortalConfigurationGateway>();
        PortalConfiguration? held = null;
        _portal.Setup(p => p.FindManagedAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => Result<PortalConfiguration?>.Success(held));
        _portal.Setup(p => p.CreateAsync(It.IsAny<PortalConfiguration>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PortalConfiguration c, string _, CancellationToken _) => Result<PortalConfiguration>.Success(held = c with { Id = "bpc_1" }));
        _portal.Setup(p => p.UpdateAsync(It.IsAny<PortalConfiguration>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PortalConfiguration c, CancellationToken _) => Result<PortalConfiguration>.Success(held = c));
        _gateway.Setup(g => g.FindPricesByLookupKeysAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Result<IReadOnlyList<GatewayPrice>>.Success(_prices.ToList()));
        _gateway.Setup(g => g.FindProductAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, CancellationToken _) => Result<GatewayProduct?>.Success(_products.GetValueOrDefault(id)));
        _gateway.Setup(g => g.UpsertProductAsync(It.IsAny<GatewayProduct>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((GatewayProduct p, bool _, CancellationToken _) => Result<GatewayProduct>.Success(_products[p.Id] = p));
        _gateway.Setup(g => g.CreatePriceAsync(It.IsAny<NewPrice>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((NewPrice p, CancellationToken _) =>
            {
                var created = new GatewayPrice($"price_{_prices.Count}", p.ProductId, p.LookupKey, p.UnitAmount, p.Currency, p.Cycle, true, p.Metadata, p.CurrencyOptions, p.TaxBehavior);
                _prices.RemoveAll(x => x.LookupKey == p.LookupKey);
                _prices.Add(created);
                return Result<GatewayPrice>.Success(created);
            });
    }

    private PublishCatalogHandler Handler(PlanCatalog? catalog = null, bool automaticTax = false)
    {
        catalog ??= TestCatalog.Create();
        return new(catalog, _gateway.Object, new CouponPublisher(catalog, _gateway.Object), new EntitlementPublisher(catalog, new Mock<IEntitlementCatalogGateway>(MockBehavior.Strict).Object), new PortalConfigurationPublisher(catalog, _gateway.Object, _portal.Object, TestCatalog.Options()), Microsoft.Extensions.Options.Options.Create(new BillingOptions { Tax = new TaxSettings { Automatic = automaticTax } }));
    }

    private static PlanCatalog WithEuros(long euros) => new(new PlanCatalogOptions
    {
        Tiers = new(StringComparer.OrdinalIgnoreCase)
        {
            ["starter"] = new TierDefinition
            {
                Prices = new() { ["monthly"] = 1900 },
                CurrencyOptions = new(StringComparer.OrdinalIgnoreCase) { ["monthly"] = new() { ["eur"] = euros } },
            },
        },
    });

    [Test]
    public async Task A_changed_amount_in_another_currency_makes_a_new_price_and_the_same_one_changes_nothing()
    {
        await Handler(WithEuros(1700)).Handle(new PublishCatalog(DryRun: false), default);
        var same = await Handler(WithEuros(1700)).Handle(new PublishCatalog(DryRun: false), default);
        var changed = await Handler(WithEuros(1800)).Handle(new PublishCatalog(DryRun: false), default);

        Assert.That(same.Value.UpToDate, Is.True);
        Assert.That(changed.Value.Changes.Single(c => c.Action == "create price").Detail, Does.Contain("1900 usd / 1800 eur per month").And.Contain("replacing"));
        Assert.That(changed.Value.Changes.Select(c => c.Action), Is.EquivalentTo(new[] { "create price", "update portal configuration" }), "the portal moves to the new price");
        _gateway.Verify(g => g.CreatePriceAsync(It.Is<NewPrice>(p => p.TransferLookupKey && p.CurrencyOptions!["eur"] == 1800), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task Turning_stripe_tax_on_gives_every_price_a_tax_behaviour_through_a_new_price()
    {
        await Handler().Handle(new PublishCatalog(DryRun: false), default);

        var report = await Handler(automaticTax: true).Handle(new PublishCatalog(DryRun: false), default);
        var again = await Handler(automaticTax: true).Handle(new PublishCatalog(DryRun: false), default);

        Assert.That(report.Value.Changes.Where(c => c.Action == "create price").Select(c => c.Detail), Has.All.Contain("tax exclusive"));
        Assert.That(_prices.Where(p => p.LookupKey is not null).Select(p => p.TaxBehavior), Is.All.EqualTo("exclusive"));
        Assert.That(again.Value.UpToDate, Is.True);
    }

    [Test]
    public async Task A_first_run_creates_each_product_and_each_tagged_price_and_a_second_changes_nothing()
    {
        var first = await Handler().Handle(new PublishCatalog(DryRun: false), default);
        var second = await Handler().Handle(new PublishCatalog(DryRun: false), default);

        Assert.That(first.Value.Changes.Count(c => c.Action == "create product"), Is.EqualTo(3));
        Assert.That(first.Value.Changes.Count(c => c.Action == "create price"), Is.EqualTo(5));
        Assert.That(_prices.Single(p => p.LookupKey == "starter_yearly").Metadata, Is.EquivalentTo(new Dictionary<string, string> { ["tier"] = "starter", ["billing_cycle"] = "yearly" }));
        Assert.That(second.Value.UpToDate, Is.True);
    }

    [Test]
    public async Task A_dry_run_reports_every_change_and_writes_nothing()
    {
        var report = await Handler().Handle(new PublishCatalog(DryRun: true), default);

        Assert.That(report.Value.Changes, Is.Not.Empty);
        _gateway.Verify(g => g.CreatePriceAsync(It.IsAny<NewPrice>(), It.IsAny<CancellationToken>()), Times.Never);
        _gateway.Verify(g => g.UpsertProductAsync(It.IsAny<GatewayProduct>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task A_changed_amount_makes_a_new_price_that_takes_the_lookup_key_over()
    {
        await Handler().Handle(new PublishCatalog(DryRun: false), default);
        var old = _prices.Single(p => p.LookupKey == "starter_monthly");
        _prices[_prices.IndexOf(old)] = old with { UnitAmount = 1500 };

        var report = await Handler().Handle(new PublishCatalog(DryRun: false), default);

        Assert.That(report.Value.Changes.Single(c => c.Action == "create price").Target, Is.EqualTo("starter_monthly"));
        _gateway.Verify(g => g.CreatePriceAsync(It.Is<NewPrice>(p => p.LookupKey == "starter_monthly" && p.TransferLookupKey && p.UnitAmount == 1900), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task A_price_from_before_the_tier_tags_is_tagged_in_place_not_replaced()
    {
        await Handler().Handle(new PublishCatalog(DryRun: false), default);
        var old = _prices.Single(p => p.LookupKey == "professional_monthly");
        _prices[_prices.IndexOf(old)] = old with { Metadata = new Dictionary<string, string>() };
        _gateway.Setup(g => g.UpdatePriceMetadataAsync(old.Id, It.IsAny<IReadOnlyDictionary<string, string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewayPrice>.Success(old));

        var report = await Handler().Handle(new PublishCatalog(DryRun: false), default);

        Assert.That(report.Value.Changes.Single().Action, Is.EqualTo("tag price"));
        _gateway.Verify(g => g.UpdatePriceMetadataAsync(old.Id, It.Is<IReadOnlyDictionary<string, string>>(m => m["tier"] == "professional"), It.IsAny<CancellationToken>()), Times.Once);
        _gateway.Verify(g => g.CreatePriceAsync(It.IsAny<NewPrice>(), It.IsAny<CancellationToken>()), Times.Exactly(5), "only the first run's prices");
    }
}
