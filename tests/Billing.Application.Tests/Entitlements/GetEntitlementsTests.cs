using Billing.Application.Catalog;
using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Entitlements.Get;
using Billing.Application.Organizations;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Entitlements;

/// <summary>What a caller is entitled to follows the tier that gates their access, from the store and the catalog.</summary>
public sealed class GetEntitlementsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<IOrganizationDirectory> _organizations = null!;
    private Mock<IIdentityDirectory> _identity = null!;

    [SetUp]
    public void FreshMocks()
    {
        _accounts = new Mock<IBillingAccountRepository>();
        _organizations = new Mock<IOrganizationDirectory>(MockBehavior.Strict);
        _identity = new Mock<IIdentityDirectory>(MockBehavior.Strict);
    }

    private static PlanCatalog Catalog() => new(new PlanCatalogOptions
    {
        Tiers = new(StringComparer.OrdinalIgnoreCase)
        {
            ["trial"] = new TierDefinition { Prices = new() { ["monthly"] = 100 }, Features = new() { ["projects"] = "1", ["sso"] = "false" } },
            ["starter"] = new TierDefinition { Prices = new() { ["monthly"] = 1900 }, Features = new() { ["projects"] = "5", ["sso"] = "false" } },
            ["enterprise"] = new TierDefinition { Prices = new() { ["monthly"] = 9900 }, Features = new() { ["projects"] = "1000", ["sso"] = "true" } },
        },
    });

    private GetEntitlementsHandler Handler()
    {
        var catalog = Catalog();
        var options = Options.Create(new BillingOptions());
        var access = new MemberAccess(_identity.Object, _organizations.Object, _accounts.Object, TestCatalog.TeamSeats(_organizations.Object, options), catalog, new FakeTimeProvider(Now), options);
        return new GetEntitlementsHandler(access, catalog);
    }

    private void Holding(SubscriptionStatus status, Tier tier = Tier.Enterprise, DateTimeOffset? pastDueSince = null)
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-40));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-40));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, tier, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), false, 9900, "usd"), pastDueSince ?? Now.AddDays(-10));
        if (status != SubscriptionStatus.Active)
        {
            account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", status, tier, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), false, 9900, "usd"), pastDueSince ?? Now.AddDays(-1));
        }

        _accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
    }

    [TestCase(SubscriptionStatus.Active, "enterprise", 1000L, true)]
    [TestCase(SubscriptionStatus.Trialing, "enterprise", 1000L, true)]
    [TestCase(SubscriptionStatus.Canceled, "trial", 1L, false)]
    public async Task The_features_are_the_access_tiers(SubscriptionStatus status, string accessTier, long projects, bool sso)
    {
        Holding(status);

        var entitlements = await Handler().Handle(new GetEntitlements("u1"), default);

        Assert.That(entitlements.Value.AccessTier, Is.EqualTo(accessTier));
        Assert.That(entitlements.Value.Features["projects"], Is.EqualTo(projects));
        Assert.That(entitlements.Value.Features["sso"], Is.EqualTo(sso));
    }

    [Test]
    public async Task Past_due_keeps_the_paid_features_through_the_grace_period_and_then_falls_back_to_trials()
    {
        Holding(SubscriptionStatus.PastDue, pastDueSince: Now.AddDays(-1));
        var inGrace = await Handler().Handle(new GetEntitlements("u1"), default);
        Holding(SubscriptionStatus.PastDue, pastDueSince: Now.AddDays(-5));
        var afterGrace = await Handler().Handle(new GetEntitlements("u1"), default);

        Assert.That(inGrace.Value.Features["sso"], Is.True);
        Assert.That(afterGrace.Value.AccessTier, Is.EqualTo("trial"));
        Assert.That(afterGrace.Value.Features["sso"], Is.False);
    }

    [Test]
    public async Task A_scheduled_downgrade_changes_nothing_until_it_happened()
    {
        Holding(SubscriptionStatus.Active);
        var account = (await _accounts.Object.FindAsync("u1", default))!;
        account.ScheduleChange(new ScheduledChange("sub_sched_1", Tier.Starter, BillingCycle.Monthly, Now.AddDays(20)), Now);

        var entitlements = await Handler().Handle(new GetEntitlements("u1"), default);

        Assert.That(entitlements.Value.Features["projects"], Is.EqualTo(1000L));
    }

    [Test]
    public async Task Someone_without_an_account_gets_the_trial_tiers_features()
    {
        var entitlements = await Handler().Handle(new GetEntitlements("nobody"), default);

        Assert.That(entitlements.Value.AccessTier, Is.EqualTo("trial"));
        Assert.That(entitlements.Value.Features, Is.EqualTo(new Dictionary<string, object> { ["projects"] = 1L, ["sso"] = false }));
    }

    [Test]
    public void A_feature_that_is_neither_a_whole_number_nor_true_or_false_is_refused_at_start()
    {
        var bad = Assert.Throws<InvalidSettingException>(() => new PlanCatalog(new PlanCatalogOptions
        {
            Tiers = new(StringComparer.OrdinalIgnoreCase) { ["starter"] = new TierDefinition { Prices = new() { ["monthly"] = 1900 }, Features = new() { ["projects"] = "many" } } },
        }));
        var oldList = Assert.Throws<InvalidSettingException>(() => new PlanCatalog(new PlanCatalogOptions
        {
            Tiers = new(StringComparer.OrdinalIgnoreCase) { ["starter"] = new TierDefinition { Prices = new() { ["monthly"] = 1900 }, Features = new() { ["0"] = "5 projects" } } },
        }));

        Assert.That(bad!.Message, Does.Contain("Billing:Catalog:Tiers:starter:Features:projects"));
        Assert.That(oldList!.Message, Does.Contain("Highlights"));
    }
}
