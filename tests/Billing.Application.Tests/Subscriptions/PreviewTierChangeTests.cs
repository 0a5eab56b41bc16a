using Microsoft.Extensions.Time.Testing;
using Billing.Application.Accounts;
using Billing.Application.Catalog;
using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Application.Subscriptions.ChangeTier;
using Billing.Application.Subscriptions.PreviewChange;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Options;
using Moq;

namespace Billing.Application.Tests.Subscriptions;

/// <summary>The preview of a change: Stripe's invoice preview for the change the upgrade would send, and nothing changed.</summary>
public sealed class PreviewTierChangeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<ISubscriptionGateway> _gateway = null!;
    private Mock<ICatalogGateway> _catalog = null!;

    [SetUp]
    public void FreshMocks()
    {
        _accounts = new Mock<IBillingAccountRepository>();
        _gateway = new Mock<ISubscriptionGateway>();
        _catalog = new Mock<ICatalogGateway>();
    }

    private PreviewTierChangeHandler Handler() =>
        new(new TierChangePlanner(TestCatalog.Create(), _accounts.Object, _gateway.Object, new PlanPrices(_catalog.Object), new FakeTimeProvider(Now), Options.Create(new BillingOptions())), _gateway.Object);

    private BillingAccount OnStarter()
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-10));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-10));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), false, 1900, "usd"), Now.AddDays(-10));
        _accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(
            new GatewaySubscription("sub_1", "cus_1", "active", Now.AddDays(-10), "si_1", "price_starter", null, "billing_starter", "starter", BillingCycle.Monthly, null, 1900, "usd", Now.AddDays(-10), Now.AddDays(20), false, new Dictionary<string, string>())));
        _catalog.Setup(g => g.FindPricesByLookupKeysAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<GatewayPrice>>.Success([new GatewayPrice("price_pro", "billing_professional", "professional_monthly", 4900, "usd", BillingCycle.Monthly, true, new Dictionary<string, string>())]));
        return account;
    }

    [Test]
    public async Task The_preview_sums_the_proration_lines_and_shows_Stripes_totals_for_the_new_price()
    {
        var account = OnStarter();
        SubscriptionPriceChange? asked = null;
        _gateway.Setup(g => g.PreviewSubscriptionPriceChangeAsync(It.IsAny<SubscriptionPriceChange>(), "cus_1", It.IsAny<CancellationToken>()))
            .Callback<SubscriptionPriceChange, string, CancellationToken>((c, _, _) => asked = c)
            .ReturnsAsync(Result<ChangePreview>.Success(new ChangePreview(2000, 2000, 2200, "usd",
            [
                new ChangePreviewLine("Unused time on Starter", -1267, true),
                new ChangePreviewLine("Remaining time on Professional", 3267, true),
                new ChangePreviewLine("Professional (next period)", 4900, false),
            ], Tax: 200)));

        var preview = (await Handler().Handle(new PreviewTierChange("u1", "professional", "monthly"), default)).Value;

        Assert.That(asked!.NewPriceId, Is.EqualTo("price_pro"));
        Assert.That(preview.ProrationAmount, Is.EqualTo(2000));
        Assert.That((preview.AmountDue, preview.Total, preview.Tax, preview.Lines.Count), Is.EqualTo((2000L, 2200L, 200L, 3)));
        Assert.That(account.Tier, Is.EqualTo(Tier.Starter), "a preview changes nothing");
        _gateway.Verify(g => g.ChangeSubscriptionPriceAsync(It.IsAny<SubscriptionPriceChange>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task The_same_plan_an_unknown_tier_and_no_subscription_are_answered_as_the_change_would_be()
    {
        OnStarter();

        var same = await Handler().Handle(new PreviewTierChange("u1", "starter", "monthly"), default);
        var unknown = await Handler().Handle(new PreviewTierChange("u1", "gold", "monthly"), default);
        var nobody = await Handler().Handle(new PreviewTierChange("u2", "professional", "monthly"), default);

        Assert.That(same.Error!.Code, Is.EqualTo("same_plan"));
        Assert.That(unknown.Error!.Kind, Is.EqualTo(ErrorKind.Validation));
        Assert.That(nobody.Error!.Code, Is.EqualTo("subscription_not_found"));
        _gateway.Verify(g => g.PreviewSubscriptionPriceChangeAsync(It.IsAny<SubscriptionPriceChange>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
