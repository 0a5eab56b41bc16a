using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Application.Webhooks.Apply;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Moq;

namespace Billing.Application.Tests.Webhooks;

/// <summary>A schedule made in the portal or the dashboard shows as the account's scheduled change, and goes with its end.</summary>
public sealed class ApplyScheduleChangedTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<ICatalogGateway> _prices = null!;
    private BillingAccount _account = null!;

    [SetUp]
    public void FreshMocks()
    {
        _accounts = new Mock<IBillingAccountRepository>();
        _prices = new Mock<ICatalogGateway>();
        _account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-10));
        _account.LinkStripeCustomer("cus_1", Now.AddDays(-10));
        _account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Professional, BillingCycle.Yearly, Now.AddDays(-10), Now.AddDays(355), false, 49000, "usd"), Now.AddDays(-10));
        _accounts.Setup(a => a.FindByStripeCustomerAsync("cus_1", It.IsAny<CancellationToken>())).ReturnsAsync(_account);
        _prices.Setup(g => g.FindPricesByLookupKeysAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<GatewayPrice>>.Success([new GatewayPrice("price_starter_yearly", "billing_starter", "starter_yearly", 19000, "usd", BillingCycle.Yearly, true, new Dictionary<string, string>())]));
    }

    private ApplyScheduleChanged Handler() => new(_accounts.Object, _prices.Object, TestCatalog.Create());

    private static ScheduleChanged Event(ReportedSchedule? schedule, int minutes) =>
        new($"evt_{minutes}", Now.AddMinutes(minutes), "sub_sched_1", "cus_1", "sub_1", schedule);

    [Test]
    public async Task A_portal_schedule_without_metadata_is_named_by_its_price_and_noted()
    {
        var portal = new ReportedSchedule("sub_sched_1", "sub_1", true, "price_starter_yearly", Now.AddDays(355), null, null);

        var outcome = await Handler().Handle(Event(portal, 1), default);

        Assert.That(outcome.IsSuccess, Is.True, outcome.Error?.Detail);
        Assert.That(_account.ScheduledChange, Is.EqualTo(new ScheduledChange("sub_sched_1", Tier.Starter, BillingCycle.Yearly, Now.AddDays(355))));
        Assert.That(_account.Tier, Is.EqualTo(Tier.Professional));
    }

    [Test]
    public async Task A_released_schedule_takes_its_change_away_and_a_late_update_does_not_bring_it_back()
    {
        var running = new ReportedSchedule("sub_sched_1", "sub_1", true, null, Now.AddDays(355), Tier.Starter, BillingCycle.Yearly);
        await Handler().Handle(Event(running, 1), default);

        await Handler().Handle(Event(running with { Running = false }, 3), default);
        var late = await Handler().Handle(Event(running, 2), default);

        Assert.That(_account.ScheduledChange, Is.Null);
        Assert.That(late.Value, Does.Contain("nothing new"));
        _prices.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_price_the_catalog_no_longer_sells_names_no_plan_and_nothing_is_noted()
    {
        var stale = new ReportedSchedule("sub_sched_1", "sub_1", true, "price_retired", Now.AddDays(355), null, null);

        var outcome = await Handler().Handle(Event(stale, 1), default);

        Assert.That(outcome.Value, Does.Contain("does not sell"));
        Assert.That(_account.ScheduledChange, Is.Null);
    }
}
