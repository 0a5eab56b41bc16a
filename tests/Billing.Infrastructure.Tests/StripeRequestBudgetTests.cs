using Billing.Application.Common;
using Billing.Infrastructure.Configuration;
using Billing.Infrastructure.Stripe;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Tests;

/// <summary>The Stripe request budget: one bucket per instance, a reserve background work leaves to users.</summary>
public sealed class StripeRequestBudgetTests
{
    private static StripeRequestBudget Budget(double perSecond, double reserve, int instances = 1) =>
        new(Options.Create(new StripeBudgetOptions { RequestsPerSecond = perSecond, UserReserve = reserve, Instances = instances }), new BillingMetrics());

    [Test]
    public void Background_work_stops_at_the_user_reserve_and_users_still_go_at_once()
    {
        var budget = Budget(perSecond: 10, reserve: 4);

        var background = Enumerable.Range(0, 2).Select(_ => budget.TryTake(background: true)).ToList();
        var users = Enumerable.Range(0, 4).Select(_ => budget.TryTake(background: false)).ToList();
        var overdrawn = budget.TryTake(background: false);

        Assert.That(background[0], Is.Null, "the bucket holds the reserve and one more");
        Assert.That(background[1], Is.Not.Null.And.GreaterThan(TimeSpan.Zero), "then background work waits for the refill");
        Assert.That(users, Is.All.Null, "the reserve is the users'");
        Assert.That(overdrawn, Is.Not.Null, "past the bucket, users wait too");
    }

    [Test]
    public void Several_instances_each_take_their_share_and_zero_turns_the_budget_off()
    {
        var shared = Budget(perSecond: 20, reserve: 2, instances: 4);
        var unlimited = Budget(perSecond: 0, reserve: 0);

        var taken = 0;
        while (shared.TryTake(background: false) is null && taken < 100)
        {
            taken++;
        }

        Assert.That(taken, Is.EqualTo(3), "a quarter of 20 a second paces each; the burst is the reserve and one more");
        Assert.That(Enumerable.Range(0, 1000).Select(_ => unlimited.TryTake(background: true)), Is.All.Null);
    }

    [Test]
    public void A_reserve_as_large_as_an_instances_share_is_refused_at_start()
    {
        Assert.That(new StripeBudgetOptions { RequestsPerSecond = 20, Instances = 4, UserReserve = 5 }.IsValid, Is.False);
        Assert.That(new StripeBudgetOptions { RequestsPerSecond = 20, Instances = 4, UserReserve = 2 }.IsValid, Is.True);
    }
}
