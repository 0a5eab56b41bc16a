using Billing.Application.AccountSync;
using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Accounts.Events;
using Billing.Domain.Plans;
using System.Text.Json;
using Billing.Application.Notifications;
using Billing.Application.Notifications.Deliver;
using Moq;

namespace Billing.Application.Tests.AccountSync;

/// <summary>The one place that says what each kind of account event sends where.</summary>
public sealed class SyncPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static SyncPlan Plan(bool lago = true, bool mail = true, string? operatorAddress = "ops@example.com")
    {
        var ledger = new Mock<IUsageLedger>();
        ledger.SetupGet(l => l.Enabled).Returns(lago);
        var sender = new Mock<INotificationSender>();
        sender.SetupGet(s => s.Enabled).Returns(mail);
        var options = TestCatalog.Options();
        options.Value.Disputes.NotifyEmail = operatorAddress;
        options.Value.NotificationDelay = TimeSpan.FromSeconds(30);
        return new SyncPlan(ledger.Object, sender.Object, options);
    }

    private static IReadOnlyList<NotificationRequest> Emails(AccountChangePlan plan) =>
        plan.Messages.Where(m => m.Target == SyncTarget.Notification).Select(m => JsonSerializer.Deserialize<NotificationRequest>(m.Payload, DeliverNotificationHandler.Json)!).ToList();

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

            // A scheduled change lifted leaves everything anyone sees as it was: the one kind that goes nowhere.
            Assert.That(SyncPlan.RouteOf(happened), kind == typeof(ScheduledChangeLifted) ? Is.EqualTo(AccountEventDestinations.None) : Is.Not.EqualTo(AccountEventDestinations.None), kind.Name);
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

    [Test]
    public void A_failed_payment_attempt_is_one_e_mail_to_the_user_after_the_delay_keyed_by_its_occasion()
    {
        var account = Account(SubscriptionStatus.PastDue);
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.PastDue, Tier.Professional, BillingCycle.Monthly, Now.AddDays(-1), Now.AddMonths(1), false, 4900, "usd",
            OpenInvoice: new OpenInvoice("in_1", "https://pay/in_1", Now.AddDays(2), Now)), Now);
        account.ClearPendingEvents();
        account.NotePaymentFailed("in_1", "evt_9", Now);

        var plan = Plan().For(account, account.PendingEvents, Now);

        var email = plan.Messages.Single();
        Assert.That((email.Target, email.DueAt), Is.EqualTo((SyncTarget.Notification, Now.AddSeconds(30))));
        Assert.That(Emails(plan).Single(), Is.EqualTo(new NotificationRequest(NotificationKind.PaymentFailed, "u1", "u1@example.com", "evt_9", "in_1", "sub_1")));
        Assert.That(email.DeduplicationKey, Is.EqualTo(Emails(plan).Single().DeduplicationKey));
    }

    [Test]
    public void A_scheduled_cancellation_and_an_end_also_tell_the_user_and_a_dispute_filed_tells_the_operator()
    {
        var account = Account();
        account.ClearPendingEvents();
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Professional, BillingCycle.Monthly, Now.AddDays(-1), Now.AddMonths(1), true, 4900, "usd"), Now);
        account.NoteDisputeFiled("dp_1", "in_1", Now);
        var scheduled = Emails(Plan().For(account, account.PendingEvents, Now));
        account.ClearPendingEvents();
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Canceled, Tier.Professional, BillingCycle.Monthly, Now.AddDays(-1), Now.AddMonths(1), false, 4900, "usd", EndedAt: Now), Now.AddMinutes(1));
        var ended = Emails(Plan().For(account, account.PendingEvents, Now));

        Assert.That(scheduled.Select(n => (n.Kind, n.Recipient)), Is.EquivalentTo(new[] { (NotificationKind.SubscriptionEnding, "u1@example.com"), (NotificationKind.DisputeOpened, "ops@example.com") }));
        Assert.That(ended.Single().Kind, Is.EqualTo(NotificationKind.SubscriptionCanceled));
        Assert.That(ended.Single().Occasion, Is.EqualTo("ended:sub_1"), "told once per subscription, whichever event reports the end");
    }

    [Test]
    public void No_e_mail_is_written_without_a_mail_server_an_address_or_an_operator_address()
    {
        var account = Account(SubscriptionStatus.Trialing);
        account.ClearPendingEvents();
        account.NoteTrialEnding("evt_1", Now);
        account.NoteDisputeFiled("dp_1", "in_1", Now);
        var erased = Account(SubscriptionStatus.Trialing);
        erased.ErasePersonalData();
        erased.ClearPendingEvents();
        erased.NoteTrialEnding("evt_1", Now);

        Assert.That(Plan(mail: false).For(account, account.PendingEvents, Now).Messages, Is.Empty);
        Assert.That(Emails(Plan(operatorAddress: null).For(account, account.PendingEvents, Now)).Single().Kind, Is.EqualTo(NotificationKind.TrialEnding));
        Assert.That(Plan().For(erased, erased.PendingEvents, Now).Messages, Is.Empty);
    }
}
