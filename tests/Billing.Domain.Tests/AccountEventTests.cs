using Billing.Domain.Accounts;
using Billing.Domain.Accounts.Events;
using Billing.Domain.Plans;

namespace Billing.Domain.Tests;

/// <summary>Each accepted change of an account records what happened in billing terms; bookkeeping records nothing.</summary>
public sealed class AccountEventTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static SubscriptionSnapshot Snapshot(SubscriptionStatus status = SubscriptionStatus.Active, Tier tier = Tier.Starter, bool cancelAtPeriodEnd = false, BillingCycle cycle = BillingCycle.Monthly, DateTimeOffset? periodStart = null) =>
        new("sub_1", "cus_1", status, tier, cycle, periodStart ?? T0, (periodStart ?? T0).AddMonths(1), cancelAtPeriodEnd, 1900, "usd");

    private static BillingAccount Subscribed(SubscriptionSnapshot? snapshot = null)
    {
        var account = BillingAccount.Open("user-1", "ada@example.com", T0);
        account.LinkStripeCustomer("cus_1", T0);
        account.ApplySubscription(snapshot ?? Snapshot(), T0);
        account.ClearPendingEvents();
        return account;
    }

    private static List<Type> Kinds(BillingAccount account) => account.PendingEvents.Select(e => e.GetType()).ToList();

    [Test]
    public void Linking_a_customer_records_it()
    {
        var account = BillingAccount.Open("user-1", "ada@example.com", T0);

        account.LinkStripeCustomer("cus_1", T0);

        Assert.That(account.PendingEvents.Single(), Is.EqualTo(new StripeCustomerLinked("user-1", T0, "cus_1")));
    }

    [Test]
    public void A_first_paid_subscription_is_activated_and_is_new_revenue()
    {
        var account = BillingAccount.Open("user-1", "ada@example.com", T0);
        account.LinkStripeCustomer("cus_1", T0);
        account.ClearPendingEvents();

        account.ApplySubscription(Snapshot(), T0.AddSeconds(1));

        Assert.That(Kinds(account), Is.EqualTo(new[] { typeof(SubscriptionActivated), typeof(RevenueMoved) }));
        Assert.That(((SubscriptionActivated)account.PendingEvents[0]).Tier, Is.EqualTo(Tier.Starter));
    }

    [Test]
    public void An_upgrade_is_a_tier_change_from_the_old_tier_to_the_new()
    {
        var account = Subscribed();

        account.ApplySubscription(Snapshot(tier: Tier.Professional), T0.AddMinutes(1));

        var changed = account.PendingEvents.OfType<SubscriptionTierChanged>().Single();
        Assert.That((changed.From, changed.To), Is.EqualTo((Tier.Starter, Tier.Professional)));
    }

    [Test]
    public void A_declined_renewal_is_a_payment_failure()
    {
        var account = Subscribed();

        account.ApplySubscription(Snapshot(SubscriptionStatus.PastDue), T0.AddMinutes(1));

        Assert.That(account.PendingEvents.OfType<SubscriptionPaymentFailed>().Single().Status, Is.EqualTo(SubscriptionStatus.PastDue));
    }

    [Test]
    public void A_payment_recovered_activates_the_subscription_again()
    {
        var account = Subscribed(Snapshot(SubscriptionStatus.PastDue));

        account.ApplySubscription(Snapshot(), T0.AddMinutes(1));

        Assert.That(Kinds(account), Does.Contain(typeof(SubscriptionActivated)));
    }

    [Test]
    public void Scheduling_and_lifting_a_cancellation_are_told_apart()
    {
        var account = Subscribed();

        account.ApplySubscription(Snapshot(cancelAtPeriodEnd: true), T0.AddMinutes(1));
        var scheduled = Kinds(account);
        account.ClearPendingEvents();
        account.ApplySubscription(Snapshot(), T0.AddMinutes(2));

        Assert.That(scheduled, Does.Contain(typeof(SubscriptionCancellationScheduled)));
        Assert.That(Kinds(account), Does.Contain(typeof(SubscriptionCancellationLifted)));
    }

    [Test]
    public void An_ended_subscription_is_ended_and_churn()
    {
        var account = Subscribed();

        account.ApplySubscription(Snapshot(SubscriptionStatus.Canceled), T0.AddMinutes(1));

        Assert.That(Kinds(account), Is.EqualTo(new[] { typeof(SubscriptionEnded), typeof(RevenueMoved) }));
    }

    [Test]
    public void A_paused_subscription_is_suspended()
    {
        var account = Subscribed(Snapshot(SubscriptionStatus.Trialing));

        account.ApplySubscription(Snapshot(SubscriptionStatus.Paused), T0.AddMinutes(1));

        Assert.That(Kinds(account), Does.Contain(typeof(SubscriptionSuspended)));
    }

    [Test]
    public void A_renewal_is_a_terms_update()
    {
        var account = Subscribed();

        account.ApplySubscription(Snapshot(periodStart: T0.AddMonths(1)), T0.AddMonths(1));

        Assert.That(Kinds(account), Is.EqualTo(new[] { typeof(SubscriptionTermsUpdated) }));
    }

    [Test]
    public void A_stale_or_unchanged_report_records_nothing()
    {
        var account = Subscribed();

        account.ApplySubscription(Snapshot(tier: Tier.Enterprise), T0.AddMinutes(-1));
        account.ApplySubscription(Snapshot(), T0.AddMinutes(1));

        Assert.That(account.PendingEvents, Is.Empty);
    }

    [Test]
    public void Disputes_open_and_resolve()
    {
        var account = Subscribed();

        account.MarkDisputed(true, T0.AddDays(1));
        account.MarkDisputed(true, T0.AddDays(2));
        account.MarkDisputed(false, T0.AddDays(3));

        Assert.That(Kinds(account), Is.EqualTo(new[] { typeof(DisputeOpened), typeof(DisputeResolved) }));
    }

    [Test]
    public void A_deleted_customer_is_recorded_with_the_churn_it_causes()
    {
        var account = Subscribed();

        account.ForgetDeletedCustomer("cus_1", T0.AddDays(1));

        Assert.That(Kinds(account), Is.EquivalentTo(new[] { typeof(RevenueMoved), typeof(StripeCustomerDeleted) }));
    }

    [Test]
    public void Bookkeeping_records_no_event()
    {
        var account = Subscribed();

        account.RecordOpenCheckout(new OpenCheckout("cs_1", Tier.Starter, BillingCycle.Monthly, "https://checkout.example/cs_1", T0.AddHours(1)));
        account.ForgetCheckout("cs_1");
        account.NoteAuthenticationRequired("in_1");
        account.MarkInvoicesBackfilled(T0);
        account.ErasePersonalData();

        Assert.That(account.PendingEvents, Is.Empty);
    }

    [Test]
    public void A_known_seat_count_that_moves_records_the_change_and_a_first_count_or_an_end_records_none()
    {
        var account = Subscribed(Snapshot() with { Seats = 3 });

        account.ApplySubscription(Snapshot() with { Seats = 5 }, T0.AddMinutes(1));
        var moved = account.PendingEvents.ToList();
        account.ClearPendingEvents();
        account.ApplySubscription(Snapshot() with { Seats = null }, T0.AddMinutes(2));
        account.ApplySubscription(Snapshot(SubscriptionStatus.Canceled) with { Seats = 5 }, T0.AddMinutes(3));

        Assert.That(moved.OfType<SubscriptionSeatsChanged>().Single(), Has.Property("From").EqualTo(3).And.Property("To").EqualTo(5));
        Assert.That(account.PendingEvents.OfType<SubscriptionSeatsChanged>(), Is.Empty, "a report without seats keeps them; an end is an end");
        Assert.That(account.Seats, Is.Null, "an ended subscription bills no seats");
    }
}
