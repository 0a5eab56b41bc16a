using Billing.Domain.Accounts;
using Billing.Domain.Accounts.Events;
using Billing.Domain.Plans;

namespace Billing.Domain.Tests;

public sealed class ScheduledChangeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset YearEnd = T0.AddYears(1);

    private static SubscriptionSnapshot Enterprise(string? schedule = null, DateTimeOffset? start = null) =>
        new("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Enterprise, BillingCycle.Yearly, start ?? T0, YearEnd, false, 99000, "usd", ScheduleId: schedule);

    private static BillingAccount Subscribed()
    {
        var account = BillingAccount.Open("user-1", "ada@example.com", T0);
        account.LinkStripeCustomer("cus_1", T0);
        account.ApplySubscription(Enterprise(), T0);
        account.ClearPendingEvents();
        return account;
    }

    [TestCase(Tier.Enterprise, BillingCycle.Yearly, Tier.Starter, BillingCycle.Yearly, true)]
    [TestCase(Tier.Enterprise, BillingCycle.Yearly, Tier.Starter, BillingCycle.Monthly, true)]
    [TestCase(Tier.Professional, BillingCycle.Monthly, Tier.Starter, BillingCycle.Yearly, true)]
    [TestCase(Tier.Professional, BillingCycle.Yearly, Tier.Professional, BillingCycle.Monthly, true)]
    [TestCase(Tier.Professional, BillingCycle.Monthly, Tier.Professional, BillingCycle.Yearly, false)]
    [TestCase(Tier.Starter, BillingCycle.Yearly, Tier.Professional, BillingCycle.Monthly, false)]
    [TestCase(Tier.Starter, BillingCycle.Monthly, Tier.Enterprise, BillingCycle.Monthly, false)]
    public void A_lower_tier_or_yearly_to_monthly_is_a_downgrade(Tier fromTier, BillingCycle fromCycle, Tier toTier, BillingCycle toCycle, bool downgrade) =>
        Assert.That(PlanChange.IsDowngrade(fromTier, fromCycle, toTier, toCycle), Is.EqualTo(downgrade));

    [Test]
    public void A_scheduled_change_keeps_the_paid_plan_and_is_recorded_once()
    {
        var account = Subscribed();
        var change = new ScheduledChange("sub_sched_1", Tier.Starter, BillingCycle.Yearly, YearEnd);

        Assert.That(account.ScheduleChange(change, T0.AddDays(10)), Is.True);
        Assert.That(account.ScheduleChange(change, T0.AddDays(11)), Is.False, "noted already");

        Assert.That(account.Tier, Is.EqualTo(Tier.Enterprise));
        Assert.That(account.ScheduledChange, Is.EqualTo(change));
        Assert.That(account.StripeScheduleId, Is.EqualTo("sub_sched_1"));
        Assert.That(account.PendingEvents.OfType<SubscriptionChangeScheduled>().Single().EffectiveAt, Is.EqualTo(YearEnd));
    }

    [Test]
    public void No_change_is_scheduled_without_a_live_subscription()
    {
        var account = BillingAccount.Open("user-1", "ada@example.com", T0);

        Assert.That(account.ScheduleChange(new ScheduledChange("sub_sched_1", Tier.Starter, BillingCycle.Yearly, YearEnd), T0), Is.False);
        Assert.That(account.ScheduledChange, Is.Null);
    }

    [Test]
    public void Lifting_forgets_the_change_and_says_so()
    {
        var account = Subscribed();
        account.ScheduleChange(new ScheduledChange("sub_sched_1", Tier.Starter, BillingCycle.Yearly, YearEnd), T0.AddDays(10));

        Assert.That(account.LiftScheduledChange(T0.AddDays(12)), Is.True);
        Assert.That(account.LiftScheduledChange(T0.AddDays(13)), Is.False);
        Assert.That(account.ScheduledChange, Is.Null);
        Assert.That(account.StripeScheduleId, Is.Null);
        Assert.That(account.PendingEvents.OfType<ScheduledChangeLifted>().Count(), Is.EqualTo(1));
    }

    [Test]
    public void A_report_of_the_subscription_on_the_scheduled_plan_from_the_effective_date_settles_it()
    {
        var account = Subscribed();
        account.ScheduleChange(new ScheduledChange("sub_sched_1", Tier.Starter, BillingCycle.Yearly, YearEnd), T0.AddDays(10));

        // Stripe moves the phase at the end of the year: the subscription is now starter, still on the schedule.
        var moved = new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Yearly, YearEnd, YearEnd.AddYears(1), false, 19000, "usd", ScheduleId: "sub_sched_1");
        Assert.That(account.ApplySubscription(moved, YearEnd.AddSeconds(1)), Is.True);

        Assert.That(account.Tier, Is.EqualTo(Tier.Starter));
        Assert.That(account.ScheduledChange, Is.Null);
        Assert.That(account.PendingEvents.OfType<SubscriptionTierChanged>().Count(), Is.EqualTo(1));
    }

    [Test]
    public void A_newer_report_of_the_subscription_on_no_schedule_forgets_the_change()
    {
        var account = Subscribed();
        account.ScheduleChange(new ScheduledChange("sub_sched_1", Tier.Starter, BillingCycle.Yearly, YearEnd), T0.AddDays(10));
        account.ApplySubscription(Enterprise(schedule: "sub_sched_1"), T0.AddDays(10));

        // Released in Stripe's dashboard: the subscription's next event says it is on no schedule.
        Assert.That(account.ApplySubscription(Enterprise(schedule: null), T0.AddDays(20)), Is.True, "a change of schedule alone is a change");

        Assert.That(account.ScheduledChange, Is.Null);
        Assert.That(account.StripeScheduleId, Is.Null);
        Assert.That(account.Tier, Is.EqualTo(Tier.Enterprise));
    }

    [Test]
    public void An_older_report_from_before_the_schedule_changes_nothing()
    {
        var account = Subscribed();
        account.ApplySubscription(Enterprise(schedule: "sub_sched_1"), T0.AddDays(10));
        account.ScheduleChange(new ScheduledChange("sub_sched_1", Tier.Starter, BillingCycle.Yearly, YearEnd), T0.AddDays(10));

        Assert.That(account.ApplyReported(Enterprise(schedule: null), T0.AddDays(5)), Is.EqualTo(ReportOutcome.Older));
        Assert.That(account.ScheduledChange, Is.Not.Null);
    }

    [Test]
    public void A_schedules_own_reports_apply_in_the_order_stripe_created_them()
    {
        var account = Subscribed();
        var change = new ScheduledChange("sub_sched_9", Tier.Starter, BillingCycle.Yearly, YearEnd);

        Assert.That(account.ApplyScheduleReport("sub_sched_9", change, T0.AddDays(30)), Is.True, "made in the portal: noted");
        Assert.That(account.ApplyScheduleReport("sub_sched_9", null, T0.AddDays(31)), Is.True, "released: forgotten");
        Assert.That(account.ApplyScheduleReport("sub_sched_9", change, T0.AddDays(30).AddSeconds(30)), Is.False, "the update delivered after its release changes nothing");

        Assert.That(account.ScheduledChange, Is.Null);
        Assert.That(account.PendingEvents.OfType<SubscriptionChangeScheduled>().Count(), Is.EqualTo(1));
        Assert.That(account.PendingEvents.OfType<ScheduledChangeLifted>().Count(), Is.EqualTo(1));
    }

    [Test]
    public void The_end_of_another_schedule_leaves_the_one_held_alone()
    {
        var account = Subscribed();
        account.ApplyScheduleReport("sub_sched_new", new ScheduledChange("sub_sched_new", Tier.Starter, BillingCycle.Yearly, YearEnd), T0.AddDays(30));

        Assert.That(account.ApplyScheduleReport("sub_sched_old", null, T0.AddDays(31)), Is.False);
        Assert.That(account.ScheduledChange!.ScheduleId, Is.EqualTo("sub_sched_new"));
    }
}
