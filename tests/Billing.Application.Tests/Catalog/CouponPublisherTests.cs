using Billing.Application.Catalog.Publish;
using Billing.Application.Catalog;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Moq;

namespace Billing.Application.Tests.Catalog;

/// <summary>Coupons into Stripe: their terms never change there, so a changed configuration is refused, naming what to do.</summary>
public sealed class CouponPublisherTests
{
    private static PlanCatalog Catalog(decimal percentOff, bool active = true) => new(new PlanCatalogOptions
    {
        Currency = "usd",
        Tiers = new(StringComparer.OrdinalIgnoreCase) { ["starter"] = new TierDefinition { Name = "Starter", Prices = new() { ["monthly"] = 1900 } } },
        Coupons = new()
        {
            ["spring"] = new CouponDefinition { Name = "Spring", PercentOff = percentOff, Duration = "forever", AppliesTo = ["starter"], PromotionCodes = new() { ["SPRING"] = new PromotionCodeDefinition { Active = active } } },
        },
    });

    private static GatewayCoupon InStripe(decimal percentOff) => new("spring", "Spring", percentOff, null, null, Billing.Domain.Accounts.DiscountDuration.Forever, null, ["billing_starter"]);

    [Test]
    public async Task A_changed_percentage_is_refused_and_nothing_is_written()
    {
        var gateway = new Mock<ICatalogGateway>();
        gateway.Setup(g => g.FindCouponAsync("spring", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewayCoupon?>.Success(InStripe(20)));

        var result = await new CouponPublisher(Catalog(25), gateway.Object).PublishAsync(dryRun: false, CancellationToken.None);

        Assert.That(result.Error!.Code, Is.EqualTo("coupon_changed"));
        Assert.That(result.Error.Detail, Does.Contain("new coupon id"));
        gateway.Verify(g => g.CreateCouponAsync(It.IsAny<GatewayCoupon>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task A_code_set_inactive_in_the_catalog_is_deactivated_in_Stripe_and_only_that_changes()
    {
        var gateway = new Mock<ICatalogGateway>();
        gateway.Setup(g => g.FindCouponAsync("spring", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewayCoupon?>.Success(InStripe(20)));
        gateway.Setup(g => g.FindPromotionCodeAsync("SPRING", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewayPromotionCode?>.Success(new GatewayPromotionCode("promo_1", "SPRING", true, InStripe(20), null, null, 3)));
        gateway.Setup(g => g.SetPromotionCodeActiveAsync("promo_1", false, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewayPromotionCode>.Success(new GatewayPromotionCode("promo_1", "SPRING", false, InStripe(20), null, null, 3)));

        var result = await new CouponPublisher(Catalog(20, active: false), gateway.Object).PublishAsync(dryRun: false, CancellationToken.None);

        Assert.That(result.Value.Select(c => c.Action), Is.EqualTo(new[] { "deactivate promotion code" }));
        gateway.Verify(g => g.SetPromotionCodeActiveAsync("promo_1", false, It.IsAny<CancellationToken>()), Times.Once);
    }

    [TestCase(null, null)]
    [TestCase(10.0, 500L)]
    public void A_coupon_needs_exactly_one_of_percent_and_amount_off(double? percent, long? amount) =>
        Assert.Throws<Billing.Application.Common.InvalidSettingException>(() => new PlanCatalog(new PlanCatalogOptions
        {
            Tiers = new(StringComparer.OrdinalIgnoreCase) { ["starter"] = new TierDefinition { Prices = new() { ["monthly"] = 1900 } } },
            Coupons = new() { ["x"] = new CouponDefinition { PercentOff = (decimal?)percent, AmountOff = amount } },
        }));
}
