using Billing.Application.Accounts;
using Billing.Application.Catalog;
using Billing.Application.Catalog.Migrate;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Catalog;

/// <summary>Moving subscribers off a superseded price: exactly those on old prices, each once, recorded in their history.</summary>
public sealed class PriceMigrationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private Mock<ISubscriptionGateway> _subscriptions = null!;
    private Mock<ISubscriptionScheduleGateway> _schedules = null!;
    private Mock<ICatalogGateway> _catalog = null!;
    private Mock<IAccountHistory> _history = null!;

    [SetUp]
    public void FreshMocks()
    {
        _subscriptions = new Mock<ISubscriptionGateway>();
        _schedules = new Mock<ISubscriptionScheduleGateway>(MockBehavior.Strict);
        _catalog = new Mock<ICatalogGateway>();
        _history = new Mock<IAccountHistory>();
        _catalog.Setup(g => g.FindPricesByLookupKeysAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<GatewayPrice>>.Success([new GatewayPrice("price_new", "billing_starter", "starter_monthly", 2400, "usd", BillingCycle.Monthly, true, new Dictionary<string, string>())]));
    }

    private static GatewaySubscription On(string id, string price, string tier = "starter", BillingCycle cycle = BillingCycle.Monthly, string status = "active", string? schedule = null) =>
        new(id, "cus_" + id, status, Now.AddDays(-20), "si_" + id, price, null, $"billing_{tier}", tier, cycle, null, 1900, "usd", Now.AddDays(-20), Now.AddDays(10), false, new Dictionary<string, string> { ["keycloak_user_id"] = "u_" + id }, ScheduleId: schedule, Quantity: 1);

    [Test]
    public async Task Only_live_subscriptions_of_the_plan_on_an_older_price_are_listed_and_not_those_already_scheduled_to_move()
    {
        _subscriptions.Setup(g => g.ListSubscriptionsAsync(null, It.IsAny<CancellationToken>())).ReturnsAsync(Result<IReadOnlyList<GatewaySubscription>>.Success([
            On("old", "price_old"),
            On("current", "price_new"),
            On("yearly", "price_old_yearly", cycle: BillingCycle.Yearly),
            On("other", "price_pro", tier: "professional"),
            On("ended", "price_old", status: "canceled"),
            On("scheduled", "price_old", schedule: "sub_sched_done"),
            On("elsewhere", "price_old", schedule: "sub_sched_other"),
        ]));
        _schedules.Setup(s => s.FindNextPriceAsync("sub_sched_done", It.IsAny<CancellationToken>())).ReturnsAsync(Result<string?>.Success("price_new"));
        _schedules.Setup(s => s.FindNextPriceAsync("sub_sched_other", It.IsAny<CancellationToken>())).ReturnsAsync(Result<string?>.Success(null));
        var catalog = TestCatalog.Create();

        var plan = await new FindSubscribersOnOldPricesHandler(catalog, new PlanPrices(_catalog.Object), _subscriptions.Object, _schedules.Object, new SubscriptionTranslator(catalog))
            .Handle(new FindSubscribersOnOldPrices("starter", "monthly"), default);

        Assert.That(plan.Value.CurrentPriceId, Is.EqualTo("price_new"));
        Assert.That(plan.Value.Candidates.Select(c => c.SubscriptionId), Is.EqualTo(new[] { "old", "elsewhere" }));
        Assert.That(plan.Value.Candidates[0].AccountKey, Is.EqualTo("u_old"));
    }

    private MigrateSubscriptionHandler Handler() => new(_subscriptions.Object, _schedules.Object, _history.Object, new FakeTimeProvider(Now), TestCatalog.Options());

    [Test]
    public async Task A_subscription_already_on_the_current_price_is_left_alone()
    {
        _subscriptions.Setup(g => g.GetSubscriptionAsync("s1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(On("s1", "price_new")));

        var outcome = await Handler().Handle(new MigrateSubscription("s1", "price_new", AtRenewal: false), default);

        Assert.That(outcome.Value.Outcome, Is.EqualTo("already_current"));
        _subscriptions.Verify(g => g.ChangeSubscriptionPriceAsync(It.IsAny<SubscriptionPriceChange>(), It.IsAny<CancellationToken>()), Times.Never);
        _history.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Now_moves_it_keyed_by_subscription_and_price_and_records_the_move()
    {
        _subscriptions.Setup(g => g.GetSubscriptionAsync("s1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(On("s1", "price_old")));
        SubscriptionPriceChange? sent = null;
        _subscriptions.Setup(g => g.ChangeSubscriptionPriceAsync(It.IsAny<SubscriptionPriceChange>(), It.IsAny<CancellationToken>()))
            .Callback<SubscriptionPriceChange, CancellationToken>((c, _) => sent = c)
            .ReturnsAsync(Result<GatewaySubscription>.Success(On("s1", "price_new")));
        AccountHistoryEntry? recorded = null;
        _history.Setup(h => h.Add(It.IsAny<AccountHistoryEntry>())).Callback<AccountHistoryEntry>(e => recorded = e);

        var outcome = await Handler().Handle(new MigrateSubscription("s1", "price_new", AtRenewal: false), default);

        Assert.That(outcome.Value.Outcome, Is.EqualTo("moved"));
        Assert.That(sent!.NewPriceId, Is.EqualTo("price_new"));
        Assert.That(sent.IdempotencyKey, Is.EqualTo("billing-migrate-s1-price_new"), "a run again after an interruption sends the same key");
        Assert.That(sent.ProrationBehavior, Is.EqualTo("create_prorations"));
        Assert.That(recorded!.UserId, Is.EqualTo("u_s1"));
        Assert.That(recorded.Detail, Does.Contain("price_old").And.Contain("price_new"));
    }

    [Test]
    public async Task At_renewal_it_is_scheduled_for_the_period_end()
    {
        _subscriptions.Setup(g => g.GetSubscriptionAsync("s1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(On("s1", "price_old")));
        _schedules.Setup(s => s.ScheduleAtPeriodEndAsync(It.Is<ScheduledPriceChange>(c => c.PriceId == "price_new" && c.SubscriptionId == "s1"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySchedule>.Success(new GatewaySchedule("sub_sched_1", "s1", "price_new", Now.AddDays(10))));

        var outcome = await Handler().Handle(new MigrateSubscription("s1", "price_new", AtRenewal: true), default);

        Assert.That(outcome.Value.Outcome, Is.EqualTo("scheduled"));
        Assert.That(outcome.Value.EffectiveAt, Is.EqualTo(Now.AddDays(10)));
        _subscriptions.Verify(g => g.ChangeSubscriptionPriceAsync(It.IsAny<SubscriptionPriceChange>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
