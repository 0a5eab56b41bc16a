using Billing.Application.Admin.Revenue;
using Billing.Application.Admin.RevenueHistory;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Billing.Domain.Revenue;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Admin;

/// <summary>Revenue from the store alone: MRR of what pays now, trials and failing payments apart, and months read back through the movements.</summary>
public sealed class RevenueTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<IRevenueLedger> _ledger = null!;

    [SetUp]
    public void FreshMocks()
    {
        _accounts = new Mock<IBillingAccountRepository>();
        _ledger = new Mock<IRevenueLedger>();
        _ledger.Setup(l => l.SinceAsync(It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
    }

    private static BillingAccount Live(string user, SubscriptionStatus status, Tier tier, BillingCycle cycle, long amount)
    {
        var account = BillingAccount.Open(user, $"{user}@example.com", Now.AddDays(-40));
        account.LinkStripeCustomer($"cus_{user}", Now.AddDays(-40));
        account.ApplySubscription(new SubscriptionSnapshot($"sub_{user}", $"cus_{user}", status, tier, cycle, Now.AddDays(-10), Now.AddDays(20), false, amount, "usd"), Now.AddDays(-10));
        return account;
    }

    private void LiveInUsd(params BillingAccount[] accounts) =>
        _accounts.Setup(a => a.LiveInCurrencyAsync("usd", It.IsAny<CancellationToken>())).ReturnsAsync(accounts);

    private static RevenueMovement Movement(DateTimeOffset at, SubscriptionStatus before, long rateBefore, SubscriptionStatus after, long rateAfter) =>
        RevenueMovement.Between("u1", at, (before, rateBefore, "usd"), (after, rateAfter, "usd"), paidBefore: false)!;

    [Test]
    public async Task MRR_counts_what_pays_now_a_yearly_price_per_month_and_keeps_trials_and_failing_payments_apart()
    {
        LiveInUsd(
            Live("a", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, 1900),
            Live("b", SubscriptionStatus.Active, Tier.Professional, BillingCycle.Yearly, 49000),
            Live("c", SubscriptionStatus.Trialing, Tier.Starter, BillingCycle.Monthly, 1900),
            Live("d", SubscriptionStatus.PastDue, Tier.Professional, BillingCycle.Monthly, 4900));

        var view = (await new GetRevenueHandler(_accounts.Object, _ledger.Object, TestCatalog.Create(), new FakeTimeProvider(Now)).Handle(new GetRevenue("USD"), default)).Value;

        Assert.That(view.Currency, Is.EqualTo("usd"));
        Assert.That(view.Mrr, Is.EqualTo(1900 + 4083), "49,000 a year is 4,083.33 a month, rounded once");
        Assert.That(view.Arr, Is.EqualTo(view.Mrr * 12));
        Assert.That(view.PayingSubscriptions, Is.EqualTo(2));
        Assert.That(view.ByPlan.Select(p => (p.TierId, p.BillingCycle, p.Mrr)), Is.EqualTo(new[] { ("starter", "monthly", 1900L), ("professional", "yearly", 4083L) }));
        Assert.That(view.Trialing, Is.EqualTo(new RevenueGroup(1, 1900)));
        Assert.That(view.AtRisk, Is.EqualTo(new RevenueGroup(1, 4900)));
    }

    [Test]
    public async Task Without_a_currency_the_catalogs_is_used()
    {
        LiveInUsd();

        var view = (await new GetRevenueHandler(_accounts.Object, _ledger.Object, TestCatalog.Create(), new FakeTimeProvider(Now)).Handle(new GetRevenue(null), default)).Value;

        Assert.That(view.Currency, Is.EqualTo("usd"));
        Assert.That(view.Mrr, Is.Zero);
    }

    [Test]
    public async Task A_months_closing_MRR_is_todays_less_every_movement_after_it()
    {
        LiveInUsd(Live("a", SubscriptionStatus.Active, Tier.Professional, BillingCycle.Monthly, 4900));
        _ledger.Setup(l => l.SinceAsync("usd", new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            Movement(new DateTimeOffset(2026, 10, 5, 0, 0, 0, TimeSpan.Zero), SubscriptionStatus.None, 0, SubscriptionStatus.Active, 1900 * 12),
            Movement(new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero), SubscriptionStatus.Active, 1900 * 12, SubscriptionStatus.Active, 4900 * 12),
            Movement(Now.AddDays(1), SubscriptionStatus.Active, 4900 * 12, SubscriptionStatus.Canceled, 4900 * 12),
        ]);

        var view = (await new GetRevenueHistoryHandler(_accounts.Object, _ledger.Object, TestCatalog.Create(), new FakeTimeProvider(Now)).Handle(new GetRevenueHistory(null, 2), default)).Value;

        Assert.That(view.Months.Select(m => m.Month), Is.EqualTo(new[] { "2026-11", "2026-10" }));
        Assert.That(view.Months[0].Mrr, Is.EqualTo(4900), "a movement stamped after now is not counted");
        Assert.That(view.Months[0].Movements.ExpansionMrr, Is.EqualTo(3000));
        Assert.That(view.Months[1].Mrr, Is.EqualTo(1900));
        Assert.That(view.Months[1].Movements.New, Is.EqualTo(new RevenueGroup(1, 1900)));
    }
}
