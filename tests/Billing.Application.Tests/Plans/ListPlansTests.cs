using Billing.Application.Catalog;
using Billing.Application.Common;
using Billing.Application.Plans.List;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Options;
using Moq;

namespace Billing.Application.Tests.Plans;

/// <summary>The plan list: in the currency asked, else the caller's billing currency, else the catalog's; only prices sold in it.</summary>
public sealed class ListPlansTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static PlanCatalog TwoCurrencies() => new(new PlanCatalogOptions
    {
        Currency = "usd",
        Tiers = new(StringComparer.OrdinalIgnoreCase)
        {
            ["starter"] = new TierDefinition { Name = "Starter", TrialDays = 14, Prices = new() { ["monthly"] = 1900, ["yearly"] = 19000 }, CurrencyOptions = new() { ["monthly"] = new() { ["eur"] = 1700 } } },
            ["professional"] = new TierDefinition { Name = "Professional", Prices = new() { ["monthly"] = 4900 } },
        },
    });

    private static ListPlansHandler Handler(Mock<IBillingAccountRepository> accounts) =>
        new(TwoCurrencies(), accounts.Object, Options.Create(new BillingOptions()));

    [Test]
    public async Task Anonymous_callers_see_the_catalogs_currency_and_no_current_plan()
    {
        var list = (await Handler(new Mock<IBillingAccountRepository>()).Handle(new ListPlans(null), default)).Value;

        Assert.That(list.Currency, Is.EqualTo("usd"));
        Assert.That(list.Currencies, Is.EquivalentTo(new[] { "usd", "eur" }));
        Assert.That(list.Plans.Select(p => (p.TierId, p.Prices.Count)), Is.EqualTo(new[] { ("starter", 2), ("professional", 1) }));
        Assert.That(list.Plans[0].TrialDays, Is.EqualTo(14));
        Assert.That(list.Current, Is.Null);
    }

    [Test]
    public async Task A_subscriber_sees_their_plan_in_the_currency_they_pay_in_and_tiers_without_it_are_left_out()
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now);
        account.LinkStripeCustomer("cus_1", Now);
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, Now, Now.AddDays(30), false, 1700, "eur"), Now);
        var accounts = new Mock<IBillingAccountRepository>();
        accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);

        var list = (await Handler(accounts).Handle(new ListPlans("u1"), default)).Value;

        Assert.That(list.Currency, Is.EqualTo("eur"));
        Assert.That(list.Plans.Single().Prices.Single().UnitAmount, Is.EqualTo(1700));
        Assert.That(list.Current, Is.EqualTo(new CurrentPlan("starter", "monthly", "active", "eur")));
    }

    [Test]
    public async Task A_currency_the_catalog_does_not_sell_in_is_refused()
    {
        var result = await Handler(new Mock<IBillingAccountRepository>()).Handle(new ListPlans(null, "jpy"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("unknown_currency"));
    }
}
