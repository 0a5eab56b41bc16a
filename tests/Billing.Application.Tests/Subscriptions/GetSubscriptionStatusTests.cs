using Billing.Application.Ports;
using Billing.Application.Subscriptions.GetStatus;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Subscriptions;

/// <summary>The status: read from the store only, and a user the store has never seen answered as having no subscription.</summary>
public sealed class GetSubscriptionStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task A_subscriber_sees_the_tier_cycle_period_and_scheduled_cancellation_the_store_holds()
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-10));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-10));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Professional, BillingCycle.Yearly, Now.AddDays(-10), Now.AddDays(355), true, 49000, "usd"), Now.AddDays(-10));
        var accounts = new Mock<IBillingAccountRepository>(MockBehavior.Strict);
        accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);

        var view = (await new GetSubscriptionStatusHandler(accounts.Object, new FakeTimeProvider(Now), TestCatalog.Options()).Handle(new GetSubscriptionStatus("u1"), default)).Value;

        Assert.That((view.TierId, view.Status, view.BillingCycle, view.SubscriptionId, view.CancelAtPeriodEnd), Is.EqualTo(("professional", "active", "yearly", "sub_1", true)));
        Assert.That(view.CurrentPeriodEnd, Is.EqualTo(Now.AddDays(355)));
        Assert.That(view.AccessTier, Is.EqualTo("professional"));
    }

    [Test]
    public async Task A_user_never_seen_has_no_subscription_and_nothing_is_stored()
    {
        var accounts = new Mock<IBillingAccountRepository>(MockBehavior.Strict);
        accounts.Setup(a => a.FindAsync("new", It.IsAny<CancellationToken>())).ReturnsAsync((BillingAccount?)null);

        var view = (await new GetSubscriptionStatusHandler(accounts.Object, new FakeTimeProvider(Now), TestCatalog.Options()).Handle(new GetSubscriptionStatus("new"), default)).Value;

        Assert.That((view.Status, view.SubscriptionId), Is.EqualTo(("none", (string?)null)));
    }
}
