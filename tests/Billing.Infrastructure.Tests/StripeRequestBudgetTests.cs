using Billing.Application.Common;
using Billing.Infrastructure.Configuration;
using Billing.Infrastructure.Stripe;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Tests;

/// <summary>The Stripe request budget: one pace per instance, with users allowed a few slots ahead of it.</summary>
public sealed class StripeRequestBudgetTests
{
    private static StripeRequestBudget Budget(double perSecond, double reserve, int instances = 1) =>
        new(Options.Create(new StripeBudgetOptions { RequestsPerSecond = perSecond, UserReserve = reserve, Instances = instances }), new BillingMetrics(), shared: null);

    [Test]
    public void Background_work_takes_only_due_slots_and_users_may_go_ahead_by_the_reserve()
    {
        var budget = Budget(perSecond: 10, reserve: 4);

        var first = budget.TryTake(background: true);
        var second = budget.TryTake(background: true);
        var users = Enumerable.Range(0, 4).Select(_ => budget.TryTake(background: false)).ToList();
        var overdrawn = budget.TryTake(background: false);
        var behindUsers = budget.TryTake(background: true);

        Assert.That(first, Is.Null, "a slot is due at once");
        Assert.That(second, Is.Not.Null.And.GreaterThan(TimeSpan.FromMilliseconds(50)), "the next is a tenth of a second later: no burst");
        Assert.That(users, Is.All.Null, "users go up to four slots ahead");
        Assert.That(overdrawn, Is.Not.Null, "past the reserve, users wait too");
        Assert.That(behindUsers, Is.Not.Null.And.GreaterThan(TimeSpan.FromMilliseconds(400)), "background waits behind the users' slots");
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

        var wait = shared.TryTake(background: true);

        Assert.That(taken, Is.EqualTo(3), "one due slot and two ahead");
        Assert.That(wait, Is.GreaterThan(TimeSpan.FromMilliseconds(500)), "slots a fifth of a second apart: a quarter of 20 a second");
        Assert.That(Enumerable.Range(0, 1000).Select(_ => unlimited.TryTake(background: true)), Is.All.Null);
    }

    [Test]
    public void A_reserve_as_large_as_an_instances_share_is_refused_at_start()
    {
        Assert.That(new StripeBudgetOptions { RequestsPerSecond = 20, Instances = 4, UserReserve = 5 }.IsValid, Is.False);
        Assert.That(new StripeBudgetOptions { RequestsPerSecond = 20, Instances = 4, UserReserve = 2 }.IsValid, Is.True);
    }

    [Test]
    public void A_slot_taken_late_keeps_the_schedule_so_late_wake_ups_cost_no_pace()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var budget = new StripeRequestBudget(Options.Create(new StripeBudgetOptions { RequestsPerSecond = 20, UserReserve = 0 }), new BillingMetrics(), clock);
        Assert.That(budget.TryTake(background: true), Is.Null);

        // Wake up 30 ms after the next slot was due (50 ms), as a busy thread pool does.
        clock.Advance(TimeSpan.FromMilliseconds(80));
        var late = budget.TryTake(background: true);
        var next = budget.TryTake(background: true);

        Assert.That(late, Is.Null);
        Assert.That(next, Is.EqualTo(TimeSpan.FromMilliseconds(20)), "the slot after a late one is due 100 ms after the first, not 50 ms after the late one");
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.That(budget.TryTake(background: true), Is.Null);
        Assert.That(budget.TryTake(background: true), Is.EqualTo(TimeSpan.FromMilliseconds(50)), "after idle time the schedule starts again: no burst");
    }
}
