using Billing.Domain.Accounts;
using Billing.Domain.Plans;

namespace Billing.Domain.Tests;

public sealed class BillingAccountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static SubscriptionSnapshot Snapshot(SubscriptionStatus status = SubscriptionStatus.Active, Tier tier = Tier.Starter, string subscription = "sub_1", bool cancelAtPeriodEnd = false, string customer = "cus_1") =>
        new(subscription, customer, status, tier, BillingCycle.Monthly, T0, T0.AddMonths(1), cancelAtPeriodEnd, 1900, "usd");

    private static BillingAccount Linked()
    {
        var account = BillingAccount.Open("user-1", "ada@example.com", T0);
        account.LinkStripeCustomer("cus_1", T0);
        return account;
    }

    [Test]
    public void A_new_account_is_on_trial_with_no_subscription()
    {
        var account = BillingAccount.Open("user-1", "ada@example.com", T0);

        Assert.That(account.Tier, Is.EqualTo(Tier.Trial));
        Assert.That(account.Status, Is.EqualTo(SubscriptionStatus.None));
        Assert.That(account.HasLiveSubscription, Is.False);
    }

    [Test]
    public void An_account_needs_a_user_id() =>
        Assert.Throws<ArgumentException>(() => BillingAccount.Open(" ", "a@example.com", T0));

    [Test]
    public void A_second_different_Stripe_customer_is_refused()
    {
        var account = Linked();

        Assert.That(account.LinkStripeCustomer("cus_1", T0), Is.False);
        Assert.Throws<InvalidOperationException>(() => account.LinkStripeCustomer("cus_2", T0));
    }

    [Test]
    public void Applying_a_subscription_sets_tier_status_cycle_period_and_amount()
    {
        var account = Linked();

        var applied = account.ApplySubscription(Snapshot(tier: Tier.Professional), T0.AddSeconds(1));

        Assert.That(applied, Is.True);
        Assert.That(account.Tier, Is.EqualTo(Tier.Professional));
        Assert.That(account.Status, Is.EqualTo(SubscriptionStatus.Active));
        Assert.That(account.BillingCycle, Is.EqualTo(BillingCycle.Monthly));
        Assert.That(account.CurrentPeriodEnd, Is.EqualTo(T0.AddMonths(1)));
        Assert.That(account.AmountMinor, Is.EqualTo(1900));
        Assert.That(account.HasLiveSubscription, Is.True);
    }

    [Test]
    public void A_report_older_than_the_applied_state_changes_nothing()
    {
        var account = Linked();
        account.ApplySubscription(Snapshot(tier: Tier.Professional), T0.AddSeconds(10));
        var version = account.Version;

        var applied = account.ApplySubscription(Snapshot(tier: Tier.Starter), T0.AddSeconds(5));

        Assert.That(applied, Is.False);
        Assert.That(account.Tier, Is.EqualTo(Tier.Professional));
        Assert.That(account.Version, Is.EqualTo(version));
    }

    [Test]
    public void The_same_report_twice_is_applied_once()
    {
        var account = Linked();
        account.ApplySubscription(Snapshot(), T0.AddSeconds(1));
        var version = account.Version;

        Assert.That(account.ApplySubscription(Snapshot(), T0.AddSeconds(2)), Is.False);
        Assert.That(account.Version, Is.EqualTo(version));
    }

    [Test]
    public void A_canceled_subscription_is_never_revived_by_a_late_report()
    {
        var account = Linked();
        account.ApplySubscription(Snapshot(SubscriptionStatus.Canceled), T0.AddSeconds(10));

        var applied = account.ApplySubscription(Snapshot(SubscriptionStatus.Active), T0.AddSeconds(20));

        Assert.That(applied, Is.False);
        Assert.That(account.Status, Is.EqualTo(SubscriptionStatus.Canceled));
    }

    [Test]
    public void A_canceled_subscription_puts_the_account_back_on_trial()
    {
        var account = Linked();
        account.ApplySubscription(Snapshot(tier: Tier.Enterprise), T0.AddSeconds(1));

        account.ApplySubscription(Snapshot(SubscriptionStatus.Canceled, Tier.Enterprise), T0.AddSeconds(2));

        Assert.That(account.Tier, Is.EqualTo(Tier.Trial));
        Assert.That(account.BillingCycle, Is.Null);
        Assert.That(account.HasLiveSubscription, Is.False);
    }

    [Test]
    public void The_end_of_another_subscription_does_not_touch_the_live_one()
    {
        var account = Linked();
        account.ApplySubscription(Snapshot(subscription: "sub_new", tier: Tier.Professional), T0.AddSeconds(1));

        var applied = account.ApplySubscription(Snapshot(SubscriptionStatus.Canceled, subscription: "sub_old"), T0.AddSeconds(2));

        Assert.That(applied, Is.False);
        Assert.That(account.StripeSubscriptionId, Is.EqualTo("sub_new"));
        Assert.That(account.Tier, Is.EqualTo(Tier.Professional));
    }

    [Test]
    public void A_report_for_another_customer_is_ignored()
    {
        var account = Linked();

        Assert.That(account.ApplySubscription(Snapshot(customer: "cus_other"), T0.AddSeconds(1)), Is.False);
        Assert.That(account.StripeSubscriptionId, Is.Null);
    }

    [Test]
    public void A_past_due_account_keeps_its_tier_during_the_grace_period_only()
    {
        var account = Linked();
        account.ApplySubscription(Snapshot(tier: Tier.Professional), T0);
        account.ApplySubscription(Snapshot(SubscriptionStatus.PastDue, Tier.Professional), T0.AddDays(1));
        var grace = TimeSpan.FromDays(3);

        Assert.That(account.PastDueSince, Is.EqualTo(T0.AddDays(1)));
        Assert.That(account.EffectiveTier(T0.AddDays(2), grace), Is.EqualTo(Tier.Professional));
        Assert.That(account.EffectiveTier(T0.AddDays(5), grace), Is.EqualTo(Tier.Trial));
    }

    [Test]
    public void Paying_again_clears_past_due()
    {
        var account = Linked();
        account.ApplySubscription(Snapshot(SubscriptionStatus.PastDue), T0);

        account.ApplySubscription(Snapshot(SubscriptionStatus.Active), T0.AddDays(1));

        Assert.That(account.PastDueSince, Is.Null);
        Assert.That(account.EffectiveTier(T0.AddDays(30), TimeSpan.Zero), Is.EqualTo(Tier.Starter));
    }

    [TestCase(SubscriptionStatus.Incomplete, true)]
    [TestCase(SubscriptionStatus.Trialing, true)]
    [TestCase(SubscriptionStatus.Active, true)]
    [TestCase(SubscriptionStatus.PastDue, true)]
    [TestCase(SubscriptionStatus.Unpaid, true)]
    [TestCase(SubscriptionStatus.Paused, true)]
    [TestCase(SubscriptionStatus.Canceled, false)]
    [TestCase(SubscriptionStatus.IncompleteExpired, false)]
    [TestCase(SubscriptionStatus.None, false)]
    public void Only_statuses_Stripe_still_bills_are_live(SubscriptionStatus status, bool live) =>
        Assert.That(status.IsLive(), Is.EqualTo(live));
}

public sealed class PlanCodesTests
{
    [TestCase("past_due", SubscriptionStatus.PastDue)]
    [TestCase("incomplete_expired", SubscriptionStatus.IncompleteExpired)]
    [TestCase("active", SubscriptionStatus.Active)]
    public void Stripe_status_names_round_trip(string code, SubscriptionStatus status)
    {
        Assert.That(PlanCodes.TryParseStatus(code, out var parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(status));
        Assert.That(status.Code(), Is.EqualTo(code));
    }

    [Test]
    public void Lookup_keys_join_tier_and_cycle() =>
        Assert.That(PlanCodes.LookupKey(Tier.Professional, BillingCycle.Yearly), Is.EqualTo("professional_yearly"));

    [TestCase("gold")]
    [TestCase("")]
    [TestCase(null)]
    public void Unknown_tiers_do_not_parse(string? code) =>
        Assert.That(PlanCodes.TryParseTier(code, out _), Is.False);
}
