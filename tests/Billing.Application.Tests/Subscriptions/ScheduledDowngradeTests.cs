using Billing.Application.Accounts;
using Billing.Application.Catalog;
using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Application.Subscriptions.Cancel;
using Billing.Application.Subscriptions.ChangeTier;
using Billing.Application.Subscriptions.PreviewChange;
using Billing.Application.Subscriptions.ScheduledChanges;
using Billing.Domain.Accounts;
using Billing.Domain.Accounts.Events;
using Billing.Domain.Plans;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Subscriptions;

/// <summary>A downgrade waits for the end of the period paid for; an upgrade or a cancellation lets go of it.</summary>
public sealed class ScheduledDowngradeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset PeriodEnd = Now.AddDays(200);
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<ISubscriptionGateway> _gateway = null!;
    private Mock<ICatalogGateway> _catalog = null!;
    private Mock<ISubscriptionScheduleGateway> _schedules = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void FreshMocks()
    {
        _accounts = new Mock<IBillingAccountRepository>();
        _gateway = new Mock<ISubscriptionGateway>();
        _catalog = new Mock<ICatalogGateway>();
        _schedules = new Mock<ISubscriptionScheduleGateway>(MockBehavior.Strict);
        _clock = new FakeTimeProvider(Now);
    }

    private static IOptions<BillingOptions> Options(string downgrades = BillingOptions.DowngradesAtPeriodEnd) =>
        Microsoft.Extensions.Options.Options.Create(new BillingOptions { Downgrades = downgrades });

    private TierChangePlanner Planner(IOptions<BillingOptions> options) =>
        new(TestCatalog.Create(), _accounts.Object, _gateway.Object, new PlanPrices(_catalog.Object), _clock, options);

    private SubscriptionChanges Changes(IOptions<BillingOptions> options) => new(new SubscriptionTranslator(TestCatalog.Create()), _clock, options);

    private ChangeSubscriptionTierHandler ChangeHandler(string downgrades = BillingOptions.DowngradesAtPeriodEnd)
    {
        var options = Options(downgrades);
        return new(Planner(options), _gateway.Object, _schedules.Object, new ScheduledChangeRelease(_schedules.Object, _clock), Changes(options), _clock, options);
    }

    private BillingAccount OnProfessionalYearly(SubscriptionStatus status = SubscriptionStatus.Active, bool cancelAtPeriodEnd = false)
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-165));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-165));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", status, Tier.Professional, BillingCycle.Yearly, Now.AddDays(-165), PeriodEnd, cancelAtPeriodEnd, 49000, "usd"), Now.AddDays(-165));
        account.ClearPendingEvents();
        _accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(InStripe("professional", BillingCycle.Yearly)));
        return account;
    }

    private static GatewaySubscription InStripe(string tier, BillingCycle cycle, bool cancelAtPeriodEnd = false) =>
        new("sub_1", "cus_1", "active", Now.AddDays(-165), "si_1", $"price_{tier}_{cycle}", null, $"billing_{tier}", tier, cycle, null, 49000, "usd", Now.AddDays(-165), PeriodEnd, cancelAtPeriodEnd, new Dictionary<string, string>(), ObservedAt: Now);

    private void PriceExists(string lookupKey, string id, BillingCycle cycle) =>
        _catalog.Setup(g => g.FindPricesByLookupKeysAsync(It.Is<IReadOnlyCollection<string>>(k => k.Single() == lookupKey), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<GatewayPrice>>.Success([new GatewayPrice(id, "prod", lookupKey, 1900, "usd", cycle, true, new Dictionary<string, string>())]));

    [Test]
    public async Task A_downgrade_of_a_paid_period_is_scheduled_for_its_end_and_the_tier_stays()
    {
        var account = OnProfessionalYearly();
        PriceExists("starter_yearly", "price_starter_yearly", BillingCycle.Yearly);
        ScheduledPriceChange? sent = null;
        _schedules.Setup(s => s.ScheduleAtPeriodEndAsync(It.IsAny<ScheduledPriceChange>(), It.IsAny<CancellationToken>()))
            .Callback<ScheduledPriceChange, CancellationToken>((c, _) => sent = c)
            .ReturnsAsync(Result<GatewaySchedule>.Success(new GatewaySchedule("sub_sched_1", "sub_1", "price_starter_yearly", PeriodEnd)));

        var status = await ChangeHandler().Handle(new ChangeSubscriptionTier("u1", "starter", "yearly", "key-1"), default);

        Assert.That(status.IsSuccess, Is.True, status.Error?.Detail);
        Assert.That(status.Value.TierId, Is.EqualTo("professional"), "the customer keeps what they paid for");
        Assert.That(status.Value.ScheduledChange, Is.EqualTo(new ScheduledChangeView("starter", "yearly", PeriodEnd)));
        Assert.That(sent!.PriceId, Is.EqualTo("price_starter_yearly"));
        Assert.That(sent.Metadata[BillingMetadata.Tier], Is.EqualTo("starter"), "the phase sets the tier on the subscription when it starts");
        Assert.That(sent.ScheduleId, Is.Null);
        _gateway.Verify(g => g.ChangeSubscriptionPriceAsync(It.IsAny<SubscriptionPriceChange>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.That(account.PendingEvents.OfType<SubscriptionChangeScheduled>().Single().EffectiveAt, Is.EqualTo(PeriodEnd));
        Assert.That(account.PendingEvents.OfType<SubscriptionTierChanged>(), Is.Empty);
    }

    [Test]
    public async Task Yearly_to_monthly_on_the_same_tier_waits_too()
    {
        OnProfessionalYearly();
        PriceExists("professional_monthly", "price_pro_monthly", BillingCycle.Monthly);
        _schedules.Setup(s => s.ScheduleAtPeriodEndAsync(It.IsAny<ScheduledPriceChange>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySchedule>.Success(new GatewaySchedule("sub_sched_1", "sub_1", "price_pro_monthly", PeriodEnd)));

        var status = await ChangeHandler().Handle(new ChangeSubscriptionTier("u1", "professional", "monthly", "key-1"), default);

        Assert.That(status.Value.ScheduledChange!.BillingCycle, Is.EqualTo("monthly"));
        Assert.That(status.Value.BillingCycle, Is.EqualTo("yearly"));
    }

    [Test]
    public async Task With_downgrades_now_a_downgrade_is_prorated_at_once()
    {
        OnProfessionalYearly();
        PriceExists("starter_yearly", "price_starter_yearly", BillingCycle.Yearly);
        _gateway.Setup(g => g.ChangeSubscriptionPriceAsync(It.IsAny<SubscriptionPriceChange>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Success(InStripe("starter", BillingCycle.Yearly)));

        var status = await ChangeHandler(BillingOptions.DowngradesNow).Handle(new ChangeSubscriptionTier("u1", "starter", "yearly", "key-1"), default);

        Assert.That(status.Value.TierId, Is.EqualTo("starter"));
        Assert.That(status.Value.ScheduledChange, Is.Null);
    }

    [Test]
    public async Task A_trial_has_paid_nothing_so_its_downgrade_happens_at_once()
    {
        OnProfessionalYearly(SubscriptionStatus.Trialing);
        PriceExists("starter_yearly", "price_starter_yearly", BillingCycle.Yearly);
        _gateway.Setup(g => g.ChangeSubscriptionPriceAsync(It.IsAny<SubscriptionPriceChange>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Success(InStripe("starter", BillingCycle.Yearly)));

        var status = await ChangeHandler().Handle(new ChangeSubscriptionTier("u1", "starter", "yearly", "key-1"), default);

        Assert.That(status.Value.TierId, Is.EqualTo("starter"));
    }

    [Test]
    public async Task An_upgrade_releases_the_scheduled_downgrade_and_happens_now()
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-10));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-10));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Professional, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), false, 4900, "usd"), Now.AddDays(-10));
        account.ScheduleChange(new ScheduledChange("sub_sched_1", Tier.Starter, BillingCycle.Monthly, Now.AddDays(20)), Now);
        _accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(InStripe("professional", BillingCycle.Monthly)));
        PriceExists("professional_yearly", "price_pro_yearly", BillingCycle.Yearly);
        _schedules.Setup(s => s.ReleaseScheduleAsync("sub_sched_1", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(Result<bool>.Success(true));
        _gateway.Setup(g => g.ChangeSubscriptionPriceAsync(It.IsAny<SubscriptionPriceChange>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Success(InStripe("professional", BillingCycle.Yearly)));

        var status = await ChangeHandler().Handle(new ChangeSubscriptionTier("u1", "professional", "yearly", "key-1"), default);

        Assert.That(status.IsSuccess, Is.True, status.Error?.Detail);
        Assert.That(status.Value.BillingCycle, Is.EqualTo("yearly"), "monthly to yearly is an upgrade: now");
        Assert.That(status.Value.ScheduledChange, Is.Null);
        _schedules.Verify(s => s.ReleaseScheduleAsync("sub_sched_1", It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task A_downgrade_while_the_subscription_ends_at_the_period_end_asks_for_the_cancellation_to_be_lifted()
    {
        OnProfessionalYearly(cancelAtPeriodEnd: true);
        PriceExists("starter_yearly", "price_starter_yearly", BillingCycle.Yearly);

        var refused = await ChangeHandler().Handle(new ChangeSubscriptionTier("u1", "starter", "yearly", "key-1"), default);

        Assert.That(refused.Error!.Code, Is.EqualTo("cancellation_scheduled"));
        _schedules.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_downgrade_with_keep_cancellation_false_lifts_the_cancellation_then_schedules()
    {
        OnProfessionalYearly(cancelAtPeriodEnd: true);
        PriceExists("starter_yearly", "price_starter_yearly", BillingCycle.Yearly);
        _gateway.Setup(g => g.KeepSubscriptionAsync("sub_1", It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Success(InStripe("professional", BillingCycle.Yearly)));
        _schedules.Setup(s => s.ScheduleAtPeriodEndAsync(It.IsAny<ScheduledPriceChange>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySchedule>.Success(new GatewaySchedule("sub_sched_1", "sub_1", "price_starter_yearly", PeriodEnd)));

        var status = await ChangeHandler().Handle(new ChangeSubscriptionTier("u1", "starter", "yearly", "key-1", KeepCancellation: false), default);

        Assert.That(status.Value.CancelAtPeriodEnd, Is.False);
        Assert.That(status.Value.ScheduledChange!.TierId, Is.EqualTo("starter"));
    }

    [Test]
    public async Task A_cancellation_wins_over_a_scheduled_downgrade()
    {
        var account = OnProfessionalYearly();
        account.ScheduleChange(new ScheduledChange("sub_sched_1", Tier.Starter, BillingCycle.Yearly, PeriodEnd), Now);
        _schedules.Setup(s => s.ReleaseScheduleAsync("sub_sched_1", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(Result<bool>.Success(true));
        _gateway.Setup(g => g.CancelSubscriptionAsync("sub_1", true, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Success(InStripe("professional", BillingCycle.Yearly, cancelAtPeriodEnd: true)));
        var options = Options();

        var status = await new CancelSubscriptionHandler(_accounts.Object, _gateway.Object, new ScheduledChangeRelease(_schedules.Object, _clock), Changes(options), _clock, options)
            .Handle(new CancelSubscription("u1", null, AtPeriodEnd: true, RequestKey: "key-1"), default);

        Assert.That(status.Value.CancelAtPeriodEnd, Is.True);
        Assert.That(status.Value.ScheduledChange, Is.Null);
        Assert.That(status.Value.TierId, Is.EqualTo("professional"), "it ends on the plan it has");
    }

    [Test]
    public async Task Lifting_releases_the_schedule_and_without_one_is_404()
    {
        var account = OnProfessionalYearly();
        var options = Options();
        var handler = new LiftScheduledChangeHandler(_accounts.Object, new ScheduledChangeRelease(_schedules.Object, _clock), _clock, options);

        var none = await handler.Handle(new LiftScheduledChange("u1", "key-0"), default);
        account.ScheduleChange(new ScheduledChange("sub_sched_1", Tier.Starter, BillingCycle.Yearly, PeriodEnd), Now);
        _schedules.Setup(s => s.ReleaseScheduleAsync("sub_sched_1", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(Result<bool>.Success(true));
        var lifted = await handler.Handle(new LiftScheduledChange("u1", "key-1"), default);
        var rerun = await handler.Handle(new LiftScheduledChange("u1", "key-1"), default);

        Assert.That(none.Error!.Code, Is.EqualTo("no_scheduled_change"));
        Assert.That(lifted.Value.ScheduledChange, Is.Null);
        Assert.That(rerun.IsSuccess, Is.True, "the same request run again after a concurrent change answers, not 404");
        Assert.That(account.PendingEvents.OfType<ScheduledChangeLifted>().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task The_preview_of_a_scheduled_downgrade_costs_nothing_now_and_says_when()
    {
        OnProfessionalYearly();
        PriceExists("starter_yearly", "price_starter_yearly", BillingCycle.Yearly);

        var preview = await new PreviewTierChangeHandler(Planner(Options()), _gateway.Object).Handle(new PreviewTierChange("u1", "starter", "yearly"), default);

        Assert.That(preview.Value.Scheduled, Is.True);
        Assert.That(preview.Value.EffectiveAt, Is.EqualTo(PeriodEnd));
        Assert.That(preview.Value.AmountDue, Is.Zero);
        _gateway.Verify(g => g.PreviewSubscriptionPriceChangeAsync(It.IsAny<SubscriptionPriceChange>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
