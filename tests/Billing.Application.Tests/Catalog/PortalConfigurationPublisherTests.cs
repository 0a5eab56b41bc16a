using Billing.Application.Catalog.Publish;
using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Domain.Plans;
using Microsoft.Extensions.Options;
using Moq;

namespace Billing.Application.Tests.Catalog;

/// <summary>The customer portal offers what the API offers, made once and changed only when the catalog or the settings change.</summary>
public sealed class PortalConfigurationPublisherTests
{
    private Mock<ICatalogGateway> _prices = null!;
    private Mock<IPortalConfigurationGateway> _portal = null!;
    private PortalConfiguration? _held;

    [SetUp]
    public void FreshStripe()
    {
        _held = null;
        _prices = new Mock<ICatalogGateway>();
        _prices.Setup(g => g.FindPricesByLookupKeysAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyCollection<string> keys, CancellationToken _) => Result<IReadOnlyList<GatewayPrice>>.Success(
                keys.Select(k => new GatewayPrice($"price_{k}", $"billing_{k.Split('_')[0]}", k, 100, "usd", k.EndsWith("yearly", StringComparison.Ordinal) ? BillingCycle.Yearly : BillingCycle.Monthly, true, new Dictionary<string, string>())).ToList()));
        _portal = new Mock<IPortalConfigurationGateway>();
        _portal.Setup(p => p.FindManagedAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => Result<PortalConfiguration?>.Success(_held));
        _portal.Setup(p => p.CreateAsync(It.IsAny<PortalConfiguration>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PortalConfiguration c, string _, CancellationToken _) => Result<PortalConfiguration>.Success((_held = c with { Id = "bpc_1" })!));
        _portal.Setup(p => p.UpdateAsync(It.IsAny<PortalConfiguration>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PortalConfiguration c, CancellationToken _) => Result<PortalConfiguration>.Success((_held = c)!));
    }

    private PortalConfigurationPublisher Publisher(string downgrades = BillingOptions.DowngradesAtPeriodEnd, string proration = "create_prorations", string? terms = null) =>
        new(TestCatalog.Create(), _prices.Object, _portal.Object, Options.Create(new BillingOptions
        {
            Downgrades = downgrades,
            ProrationBehavior = proration,
            PortalReturnUrl = "https://app.example/billing",
            Portal = new PortalSettings { TermsOfServiceUrl = terms, CancellationReasons = ["too_expensive", "unused"] },
        }));

    [Test]
    public async Task The_first_run_creates_it_with_exactly_the_catalogs_prices_and_the_apis_rules_and_a_second_changes_nothing()
    {
        var first = await Publisher().PublishAsync(dryRun: false, default);
        var second = await Publisher().PublishAsync(dryRun: false, default);

        Assert.That(first.Value.Single().Action, Is.EqualTo("create portal configuration"));
        Assert.That(second.Value, Is.Empty);
        Assert.That(_held!.Products.Single(p => p.ProductId == "billing_starter").PriceIds, Is.EquivalentTo(new[] { "price_starter_monthly", "price_starter_yearly" }));
        Assert.That(_held.ProrationBehavior, Is.EqualTo("create_prorations"));
        Assert.That(_held.DowngradesAtPeriodEnd, Is.True);
        Assert.That(_held.CancellationReasons, Is.EqualTo(new[] { "too_expensive", "unused" }));
        Assert.That(_held.ReturnUrl, Is.EqualTo("https://app.example/billing"));
    }

    [Test]
    public async Task Changed_settings_update_it_and_a_dry_run_says_what_would_change_without_changing_it()
    {
        await Publisher().PublishAsync(dryRun: false, default);

        var dryRun = await Publisher(BillingOptions.DowngradesNow, "always_invoice", "https://example.com/terms").PublishAsync(dryRun: true, default);
        var afterDryRun = _held;
        var changed = await Publisher(BillingOptions.DowngradesNow, "always_invoice", "https://example.com/terms").PublishAsync(dryRun: false, default);

        Assert.That(afterDryRun!.DowngradesAtPeriodEnd, Is.True, "a dry run changes nothing");
        Assert.That(dryRun.Value, Is.EqualTo(changed.Value));
        Assert.That(changed.Value.Single().Detail, Does.Contain("proration: create_prorations → always_invoice").And.Contain("downgrades at the period end: True → False").And.Contain("terms of service: (none) → https://example.com/terms"));
        Assert.That(_held!.Id, Is.EqualTo("bpc_1"), "the same configuration, updated");
    }
}
