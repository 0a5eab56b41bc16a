using Billing.Application.Accounts;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Application.Promotions;
using Billing.Application.Subscriptions.ApplyPromotionCode;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Subscriptions;

/// <summary>A promotion code on a live subscription: checked with Stripe first (exists, active, not used up, valid for the tier), then applied and answered.</summary>
public sealed class ApplyPromotionCodeTests
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

    private ApplyPromotionCodeHandler Handler()
    {
        var catalog = TestCatalog.Create();
        var clock = new FakeTimeProvider(Now);
        return new(_accounts.Object, _gateway.Object, new PromotionCodeCheck(_catalog.Object, catalog, clock), new SubscriptionChanges(new SubscriptionTranslator(catalog), clock, TestCatalog.Options()));
    }

    private void OnStarter()
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-10));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-10));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), false, 1900, "usd"), Now.AddDays(-10));
        _accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
    }

    private static GatewayCoupon Coupon(params string[] products) => new("co_1", "Launch", 20m, null, null, DiscountDuration.Forever, null, products);

    private void CodeIs(string code, GatewayPromotionCode? promotion) =>
        _catalog.Setup(c => c.FindPromotionCodeAsync(code, It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewayPromotionCode?>.Success(promotion));

    [Test]
    public async Task A_valid_code_is_applied_keyed_by_the_request_and_the_discount_is_answered()
    {
        OnStarter();
        CodeIs("LAUNCH20", new GatewayPromotionCode("promo_1", "LAUNCH20", true, Coupon(), null, null, 0));
        _gateway.Setup(g => g.ApplyPromotionCodeAsync("sub_1", "promo_1", "billing-promotion-u1-promo_1-key-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Success(new GatewaySubscription("sub_1", "cus_1", "active", Now.AddDays(-10), "si_1", "price_1", null, "billing_starter", "starter", BillingCycle.Monthly, null, 1900, "usd", Now.AddDays(-10), Now.AddDays(20), false,
                new Dictionary<string, string>(), Discount: new GatewayDiscount(Coupon(), "promo_1", null))));

        var view = (await Handler().Handle(new ApplyPromotionCode("u1", "LAUNCH20", "key-1"), default)).Value;

        Assert.That(view.Discounts.Single().PercentOff, Is.EqualTo(20m));
        Assert.That(view.AmountAfterDiscount, Is.EqualTo(1520));
    }

    [Test]
    public async Task An_unknown_an_expired_and_a_used_up_code_are_refused_and_the_subscription_is_untouched()
    {
        OnStarter();
        CodeIs("NOPE", null);
        CodeIs("OLD", new GatewayPromotionCode("promo_2", "OLD", true, Coupon(), Now.AddDays(-1), null, 0));
        CodeIs("GONE", new GatewayPromotionCode("promo_3", "GONE", true, Coupon(), null, 5, 5));

        var unknown = await Handler().Handle(new ApplyPromotionCode("u1", "NOPE"), default);
        var expired = await Handler().Handle(new ApplyPromotionCode("u1", "OLD"), default);
        var usedUp = await Handler().Handle(new ApplyPromotionCode("u1", "GONE"), default);

        Assert.That(unknown.Error!.Code, Is.EqualTo("promotion_code_unknown"));
        Assert.That(expired.Error!.Code, Is.EqualTo("promotion_code_expired"));
        Assert.That(usedUp.Error!.Code, Is.EqualTo("promotion_code_expired"));
        _gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_code_for_another_tiers_product_is_not_applicable()
    {
        OnStarter();
        CodeIs("PRO", new GatewayPromotionCode("promo_4", "PRO", true, Coupon("billing_professional"), null, null, 0));

        var result = await Handler().Handle(new ApplyPromotionCode("u1", "PRO"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("promotion_code_not_applicable"));
    }

    [Test]
    public async Task Without_a_live_subscription_the_code_belongs_at_checkout_and_Stripe_is_not_asked()
    {
        var result = await Handler().Handle(new ApplyPromotionCode("nobody", "LAUNCH20"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("subscription_not_found"));
        _catalog.VerifyNoOtherCalls();
    }
}
