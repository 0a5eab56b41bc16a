using Billing.Application.AccountSync;
using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Accounts.Events;
using Billing.Domain.Plans;
using Moq;

namespace Billing.Application.Tests.AccountSync;

/// <summary>The one place that says what each kind of account event sends where.</summary>
public sealed class SyncPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static SyncPlan Plan(bool lago = true)
    {
        var ledger = new Mock<IUsageLedger>();
        ledger.SetupGet(l => l.Enabled).Returns(lago);
        return new SyncPlan(ledger.Object, TestCatalog.Options());
    }

    private static BillingAccount Account(SubscriptionStatus status = SubscriptionStatus.Active)
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-30));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-30));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", status, Tier.Professional, BillingCycle.Monthly, Now.AddDays(-1), Now.AddMonths(1), false, 4900, "usd"), Now.AddDays(-1));
        return account;
    }

    [Test]
    public void Every_kind_of_account_event_has_a_route()
    {
        var kinds = typeof(AccountEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(AccountEvent)) && !t.IsAbstract).ToList();

        foreach (var kind in kinds)
        {
            var happened = (AccountEvent)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(kind);
            Assert.That(SyncPlan.RouteOf(happened), Is.Not.EqualTo(AccountEventDestinations.None), kind.Name);
        }

        Assert.That(kinds, Has.Count.GreaterThanOrEqualTo(12));
    }

    [Test]
    public void A_subscription_change_goes_to_Keycloak_and_Lago_with_its_revenue_movement()
    {
        var account = Account();

        var plan = Plan().For(account, account.PendingEvents, Now);

        Assert.That(plan.Messages.Select(m => m.Target), Is.EquivalentTo(new[] { SyncTarget.IdentityDirectory, SyncTarget.UsageLedger }));
        Assert.That(plan.RevenueMovements, Has.Count.EqualTo(1));
    }

    [Test]
    public void Lago_hears_nothing_while_it_is_not_configured()
    {
        var account = Account();

        var plan = Plan(lago: false).For(account, account.PendingEvents, Now);

        Assert.That(plan.Messages.Select(m => m.Target), Is.EqualTo(new[] { SyncTarget.IdentityDirectory }));
    }

    [Test]
    public void A_dispute_goes_to_Keycloak_alone()
    {
        var account = Account();
        account.ClearPendingEvents();
        account.MarkDisputed(true, Now);

        var plan = Plan().For(account, account.PendingEvents, Now);

        Assert.That(plan.Messages.Select(m => m.Target), Is.EqualTo(new[] { SyncTarget.IdentityDirectory }));
        Assert.That(plan.RevenueMovements, Is.Empty);
    }

    [Test]
    public void A_past_due_account_is_sent_to_Keycloak_again_when_its_grace_ends()
    {
        var account = Account(SubscriptionStatus.PastDue);

        var plan = Plan().For(account, account.PendingEvents, Now);

        var keycloak = plan.Messages.Where(m => m.Target == SyncTarget.IdentityDirectory).Select(m => m.DueAt).ToList();
        Assert.That(keycloak, Is.EqualTo(new[] { Now, Now.AddDays(-1) + TestCatalog.Options().Value.PastDueGracePeriod }));
    }

    [Test]
    public void No_events_send_nothing()
    {
        var plan = Plan().For(Account(), [], Now);

        Assert.That(plan.Messages, Is.Empty);
        Assert.That(plan.RevenueMovements, Is.Empty);
    }
}
