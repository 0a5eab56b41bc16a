using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Subscriptions.Cancel;
using Billing.Application.Subscriptions.ScheduledChanges;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Subscriptions;

public sealed class CancelSubscriptionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<ISubscriptionGateway> _gateway = null!;
    private Mock<ISubscriptionScheduleGateway> _schedules = null!;

    [SetUp]
    public void FreshMocks()
    {
        _accounts = new Mock<IBillingAccountRepository>();
        _gateway = new Mock<ISubscriptionGateway>(MockBehavior.Strict);
        _schedules = new Mock<ISubscriptionScheduleGateway>(MockBehavior.Strict);
    }

    private CancelSubscriptionHandler Handler() =>
        new(_accounts.Object, _gateway.Object, new ScheduledChangeRelease(_schedules.Object, new FakeTimeProvider(Now)), new SubscriptionChanges(new SubscriptionTranslator(TestCatalog.Create()), new FakeTimeProvider(Now), TestCatalog.Options()), new FakeTimeProvider(Now), TestCatalog.Options());

    private BillingAccount Subscribed(string userId, string subscriptionId)
    {
        var account = BillingAccount.Open(userId, "x@example.com", Now);
        account.LinkStripeCustomer("cus_" + userId, Now);
        account.ApplySubscription(new SubscriptionSnapshot(subscriptionId, "cus_" + userId, SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, Now, Now.AddMonths(1), false, 1900, "usd"), Now);
        _accounts.Setup(a => a.FindAsync(userId, It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    [Test]
    public async Task Another_users_subscription_id_is_not_found_and_Stripe_is_never_called()
    {
        Subscribed("attacker", "sub_attacker");

        var result = await Handler().Handle(new CancelSubscription("attacker", "sub_victim", AtPeriodEnd: false), default);

        Assert.That(result.Error!.Kind, Is.EqualTo(ErrorKind.NotFound));
        _gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Cancelling_applies_what_Stripe_answered()
    {
        var account = Subscribed("u1", "sub_1");
        _gateway.Setup(g => g.CancelSubscriptionAsync("sub_1", true, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Success(new GatewaySubscription("sub_1", "cus_u1", "active", Now, "si_1", "price_1", "starter_monthly", "billing_starter", null, BillingCycle.Monthly, null, 1900, "usd", Now, Now.AddMonths(1), true, new Dictionary<string, string>())));

        var result = await Handler().Handle(new CancelSubscription("u1", null), default);

        Assert.That(result.Value.CancelAtPeriodEnd, Is.True);
        Assert.That(account.CancelAtPeriodEnd, Is.True);
    }

    [Test]
    public async Task A_price_outside_the_catalog_is_refused_rather_than_guessed()
    {
        var translated = new SubscriptionTranslator(TestCatalog.Create()).Translate(
            new GatewaySubscription("sub_1", "cus_1", "active", Now, "si_1", "price_x", "gold_monthly", "prod_gold", null, BillingCycle.Monthly, null, 1, "usd", Now, Now, false, new Dictionary<string, string> { ["tier"] = "professional" }));

        Assert.That(translated.IsSuccess, Is.False);
        Assert.That(translated.Error!.Code, Is.EqualTo("price_not_in_catalog"));
    }

    private BillingAccount Ended(string userId, string subscriptionId, DateTimeOffset? endedAt = null)
    {
        var account = Subscribed(userId, subscriptionId);
        account.ApplySubscription(new SubscriptionSnapshot(subscriptionId, "cus_" + userId, SubscriptionStatus.Canceled, Tier.Starter, BillingCycle.Monthly, Now.AddMonths(-1), Now.AddMonths(1), false, 1900, "usd", EndedAt: endedAt ?? Now), Now.AddMinutes(1));
        return account;
    }

    [Test]
    public async Task A_subscription_that_ended_long_ago_is_not_found_without_asking_Stripe()
    {
        Ended("u1", "sub_1", endedAt: Now.AddDays(-2));

        var result = await Handler().Handle(new CancelSubscription("u1", null, AtPeriodEnd: false, RequestKey: "key-1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("subscription_not_found"));
        _gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Run_again_after_its_own_webhook_a_cancel_now_finds_the_cancellation_it_made_and_answers_it()
    {
        Ended("u1", "sub_1");
        _gateway.Setup(g => g.CancelSubscriptionAsync("sub_1", false, "billing-cancel-u1-key-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Success(new GatewaySubscription("sub_1", "cus_u1", "canceled", Now, "si_1", "price_1", "starter_monthly", "billing_starter", null, BillingCycle.Monthly, null, 1900, "usd", Now, Now.AddMonths(1), false, new Dictionary<string, string>())));

        var result = await Handler().Handle(new CancelSubscription("u1", null, AtPeriodEnd: false, RequestKey: "key-1"), default);

        Assert.That(result.IsSuccess, Is.True);
        Assert.That(result.Value.Status, Is.EqualTo("canceled"));
    }

    [Test]
    public async Task Cancelling_an_ended_subscription_is_not_found_whether_or_not_Stripe_is_asked()
    {
        Ended("u1", "sub_1");
        _gateway.Setup(g => g.CancelSubscriptionAsync("sub_1", false, "billing-cancel-u1-other", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Error.NotFound("stripe_resource_missing", "The payment provider does not know this object."));

        var now = await Handler().Handle(new CancelSubscription("u1", null, AtPeriodEnd: false, RequestKey: "other"), default);
        var atPeriodEnd = await Handler().Handle(new CancelSubscription("u1", null, AtPeriodEnd: true, RequestKey: "other"), default);

        Assert.That(now.Error!.Code, Is.EqualTo("subscription_not_found"));
        Assert.That(atPeriodEnd.Error!.Code, Is.EqualTo("subscription_not_found"));
        _gateway.Verify(g => g.CancelSubscriptionAsync(It.IsAny<string>(), true, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}

public sealed class CancelSubscriptionValidatorTests
{
    [TestCase("sub_abc123", true)]
    [TestCase("sub_abc123\n", false)]
    [TestCase("sub_abc123\r\n", false)]
    [TestCase("xsub_abc", false)]
    [TestCase(null, true)]
    public void A_subscription_id_is_sub_and_letters_and_digits_to_its_very_end(string? id, bool valid) =>
        Assert.That(new CancelSubscriptionValidator().Validate(new CancelSubscription("u1", id)).IsValid, Is.EqualTo(valid));
}
