using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Billing.Domain.Revenue;

namespace Billing.Domain.Tests;

/// <summary>How applying Stripe's reports records the movements of recurring revenue, in annual run rates.</summary>
public sealed class RevenueMovementTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static SubscriptionSnapshot Snapshot(SubscriptionStatus status, Tier tier = Tier.Starter, BillingCycle cycle = BillingCycle.Monthly, long amount = 1900, string subscription = "sub_1") =>
        new(subscription, "cus_1", status, tier, cycle, T0, T0.AddMonths(1), false, amount, "usd");

    private static BillingAccount Account()
    {
        var account = BillingAccount.Open("user-1", "ada@example.com", T0);
        account.LinkStripeCustomer("cus_1", T0);
        return account;
    }

    private static List<(RevenueMovementKind Kind, long Before, long After, long Counted)> Apply(BillingAccount account, params SubscriptionSnapshot[] reports)
    {
        var at = T0;
        foreach (var report in reports)
        {
            at = at.AddMinutes(1);
            account.ApplySubscription(report, at);
        }

        return account.PendingEvents.OfType<Billing.Domain.Accounts.Events.RevenueMoved>().Select(e => e.Movement).Select(m => (m.Kind, m.RunRateBefore, m.RunRateAfter, m.CountedDelta)).ToList();
    }

    [Test]
    public void A_first_payment_is_new_revenue_at_twelve_times_a_monthly_price()
    {
        var movements = Apply(Account(), Snapshot(SubscriptionStatus.Incomplete), Snapshot(SubscriptionStatus.Active));

        // The incomplete subscription already had its price; it counts in MRR only from the first payment.
        Assert.That(movements, Is.EqualTo(new[] { (RevenueMovementKind.New, 22800L, 22800L, 22800L) }));
    }

    [Test]
    public void Upgrades_and_downgrades_are_expansion_and_contraction_and_a_yearly_price_counts_once()
    {
        var movements = Apply(
            Account(),
            Snapshot(SubscriptionStatus.Active),
            Snapshot(SubscriptionStatus.Active, Tier.Professional, BillingCycle.Yearly, 49000),
            Snapshot(SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, 1900));

        Assert.That(movements.Select(m => m.Kind), Is.EqualTo(new[] { RevenueMovementKind.New, RevenueMovementKind.Expansion, RevenueMovementKind.Contraction }));
        Assert.That(movements[1].After, Is.EqualTo(49000));
        Assert.That(movements.Sum(m => m.Counted), Is.EqualTo(22800));
    }

    [Test]
    public void A_failing_payment_leaves_mrr_until_recovered_and_an_ended_subscription_churns_at_what_it_paid()
    {
        var movements = Apply(
            Account(),
            Snapshot(SubscriptionStatus.Active),
            Snapshot(SubscriptionStatus.PastDue),
            Snapshot(SubscriptionStatus.Active),
            Snapshot(SubscriptionStatus.Canceled));

        Assert.That(movements.Select(m => (m.Kind, m.Counted)), Is.EqualTo(new[]
        {
            (RevenueMovementKind.New, 22800L),
            (RevenueMovementKind.PaymentFailed, -22800L),
            (RevenueMovementKind.PaymentRecovered, 22800L),
            (RevenueMovementKind.Churn, -22800L),
        }));
        Assert.That(movements[^1].Before, Is.EqualTo(22800));
    }

    [Test]
    public void Paying_again_after_churning_is_a_reactivation_not_new_revenue()
    {
        var movements = Apply(
            Account(),
            Snapshot(SubscriptionStatus.Active),
            Snapshot(SubscriptionStatus.Canceled),
            Snapshot(SubscriptionStatus.Active, subscription: "sub_2"));

        Assert.That(movements.Select(m => m.Kind), Is.EqualTo(new[] { RevenueMovementKind.New, RevenueMovementKind.Churn, RevenueMovementKind.Reactivation }));
    }

    [Test]
    public void A_trial_starts_and_converts_or_ends_without_counting_before_it_pays()
    {
        var converted = Apply(Account(), Snapshot(SubscriptionStatus.Trialing), Snapshot(SubscriptionStatus.Active));
        var lost = Apply(Account(), Snapshot(SubscriptionStatus.Trialing), Snapshot(SubscriptionStatus.Canceled));

        Assert.That(converted.Select(m => (m.Kind, m.Counted)), Is.EqualTo(new[] { (RevenueMovementKind.TrialStarted, 0L), (RevenueMovementKind.TrialConverted, 22800L) }));
        Assert.That(lost.Select(m => (m.Kind, m.Counted)), Is.EqualTo(new[] { (RevenueMovementKind.TrialStarted, 0L), (RevenueMovementKind.TrialEnded, 0L) }));
    }

    [Test]
    public void A_recurring_discount_lowers_the_run_rate_and_a_one_time_discount_does_not()
    {
        var forever = new AppliedDiscount("launch20", "Launch", "LAUNCH20", 20m, null, DiscountDuration.Forever, null);
        var once = forever with { Duration = DiscountDuration.Once };

        var discounted = Apply(Account(), Snapshot(SubscriptionStatus.Active) with { Discount = forever });
        var onceOff = Apply(Account(), Snapshot(SubscriptionStatus.Active) with { Discount = once });

        Assert.That(discounted.Single().After, Is.EqualTo(1520 * 12));
        Assert.That(onceOff.Single().After, Is.EqualTo(1900 * 12));
    }

    [Test]
    public void A_report_that_changes_nothing_records_nothing_and_saved_movements_are_not_kept_twice()
    {
        var account = Account();
        Apply(account, Snapshot(SubscriptionStatus.Active));
        account.ClearPendingEvents();

        var again = Apply(account, Snapshot(SubscriptionStatus.Active) with { CancelAtPeriodEnd = true });

        Assert.That(again, Is.Empty);
    }
}
