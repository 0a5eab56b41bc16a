using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Notifications;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Apply;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Accounts;
using Billing.Domain.Accounts.Events;
using Billing.Domain.Invoices;
using Billing.Domain.Plans;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Webhooks;

/// <summary>
/// A subscription event: the state it carried applied by Stripe's <c>created</c> (read from Stripe only when that
/// cannot tell), a second live subscription ended, the user told.
/// </summary>
public sealed class ApplySubscriptionChangedTests : WebhookHandlerFixture
{
    private ApplySubscriptionChanged Handler() => new(Applier(), Notices());

    private static SubscriptionChanged Changed(string subscriptionId, SubscriptionChange change = SubscriptionChange.Updated, DateTimeOffset? created = null, GatewaySubscription? reported = null) =>
        new("evt_1", created ?? Now, subscriptionId, "cus_1", change, null, reported);

    private static SubscriptionSnapshot Starter(string id = "sub_1", SubscriptionStatus status = SubscriptionStatus.Active) =>
        new(id, "cus_1", status, Tier.Starter, BillingCycle.Monthly, Now, Now.AddMonths(1), false, 1900, "usd");

    private BillingAccount Linked(string userId = "u1", string customer = "cus_1")
    {
        var account = BillingAccount.Open(userId, "u1@example.com", Now.AddDays(-1));
        account.LinkStripeCustomer(customer, Now.AddDays(-1));
        Accounts.Setup(a => a.FindByStripeCustomerAsync(customer, It.IsAny<CancellationToken>())).ReturnsAsync(account);
        Accounts.Setup(a => a.FindAsync(userId, It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    private void Holds(GatewaySubscription subscription) =>
        Subscriptions.Setup(g => g.GetSubscriptionAsync(subscription.Id, It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(subscription));

    [Test]
    public async Task The_state_the_event_carried_is_applied_without_reading_Stripe()
    {
        var account = Linked();

        var result = await Handler().Handle(Changed("sub_1", reported: Subscription("sub_1", "active", "professional")), default);

        Assert.That(result.Value, Does.Contain("professional"));
        Assert.That(account.Tier, Is.EqualTo(Tier.Professional));
        Assert.That(account.Status, Is.EqualTo(SubscriptionStatus.Active));
        Assert.That(account.LastStripeEventAt, Is.EqualTo(Now), "what the account reflects is dated by the event's creation");
        Subscriptions.VerifyNoOtherCalls();
    }

    [Test]
    public async Task An_event_created_before_what_the_account_reflects_changes_nothing_and_reads_nothing()
    {
        var account = Linked();
        account.ApplySubscription(Starter(), Now);

        var result = await Handler().Handle(Changed("sub_1", created: Now.AddSeconds(-1), reported: Subscription("sub_1", "past_due")), default);

        Assert.That(result.Value, Does.Contain("recorded, nothing changed"));
        Assert.That(account.Status, Is.EqualTo(SubscriptionStatus.Active));
        Subscriptions.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_different_state_created_in_the_same_second_is_settled_by_one_read_of_Stripe()
    {
        var account = Linked();
        account.ApplySubscription(Starter(), Now);
        Holds(Subscription("sub_1", "past_due") with { ObservedAt = Now.AddSeconds(2) });

        await Handler().Handle(Changed("sub_1", created: Now, reported: Subscription("sub_1", "canceled")), default);

        Assert.That(account.Status, Is.EqualTo(SubscriptionStatus.PastDue), "Stripe's answer decides, not the event");
        Assert.That(account.LastStripeEventAt, Is.EqualTo(Now.AddSeconds(2)), "dated by Stripe's Date header");
        Subscriptions.Verify(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task The_same_state_created_in_the_same_second_costs_no_read()
    {
        var account = Linked();
        account.ApplySubscription(Starter() with { LatestInvoiceId = "in_1" }, Now.AddMilliseconds(400));

        var result = await Handler().Handle(Changed("sub_1", created: Now, reported: Subscription("sub_1", "active")), default);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        Subscriptions.VerifyNoOtherCalls();
    }

    [Test]
    public async Task An_event_in_another_api_version_is_read_from_Stripe_and_counted()
    {
        var account = Linked();
        Holds(Subscription("sub_1", "active", "professional"));
        using var reads = new SubscriptionReadCounter(Metrics);

        var result = await Handler().Handle(Changed("sub_1", reported: null), default);

        Assert.That(result.Value, Does.Contain("read from Stripe: other_api_version"));
        Assert.That(account.Tier, Is.EqualTo(Tier.Professional));
        Assert.That(reads.Of("other_api_version"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_discount_the_account_holds_no_terms_for_is_read_and_a_known_one_is_kept()
    {
        var account = Linked();
        var coupon = new GatewayCoupon("co_1", "Launch", 20m, null, null, DiscountDuration.Forever, null, [], true);
        Holds(Subscription("sub_1", "active") with { Discount = new GatewayDiscount(coupon, "LAUNCH", null, "di_1"), DiscountIds = ["di_1"] });

        await Handler().Handle(Changed("sub_1", reported: Subscription("sub_1", "active") with { DiscountIds = ["di_1"] }), default);
        await Handler().Handle(Changed("sub_1", created: Now.AddDays(1), reported: Subscription("sub_1", "past_due") with { DiscountIds = ["di_1"] }), default);

        Assert.That(account.Discount!.DiscountId, Is.EqualTo("di_1"));
        Assert.That(account.Discount.PercentOff, Is.EqualTo(20m));
        Assert.That(account.Status, Is.EqualTo(SubscriptionStatus.PastDue));
        Subscriptions.Verify(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task The_latest_invoice_an_event_names_is_taken_from_the_invoice_book()
    {
        var account = Linked();
        var open = BillingInvoice.From(new InvoiceFacts("in_2", "cus_1", "sub_1", "INV-2", InvoiceStatus.Open, "usd", 1900, 0, 1900, Now, Now.AddMonths(1), Now, "https://pay/in_2", null, 0, Now.AddDays(3)));
        InvoiceBook.Setup(b => b.FindAsync("in_2", It.IsAny<CancellationToken>())).ReturnsAsync(open);

        await Handler().Handle(Changed("sub_1", reported: Subscription("sub_1", "past_due") with { LatestInvoiceId = "in_2" }), default);

        Assert.That(account.OpenInvoice, Is.EqualTo(new OpenInvoice("in_2", "https://pay/in_2", Now.AddDays(3), Now)));
        Assert.That(account.LatestInvoiceTotal, Is.EqualTo(1900));
        Subscriptions.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_failure_to_read_Stripe_is_a_failure_to_retry()
    {
        Linked();
        Subscriptions.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Failure(new Error(ErrorKind.UpstreamUnavailable, "stripe_unavailable", "down")));

        var result = await Handler().Handle(Changed("sub_1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("stripe_unavailable"));
    }

    [Test]
    public async Task A_second_live_subscription_that_is_newer_is_canceled_refunded_and_recorded()
    {
        var account = Linked();
        account.ApplySubscription(new SubscriptionSnapshot("sub_old", "cus_1", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, Now, Now.AddMonths(1), false, 1900, "usd"), Now.AddMinutes(-5));
        Holds(Subscription("sub_new", "active", "professional", Now));
        Holds(Subscription("sub_old", "active", "starter", Now.AddMinutes(-10)));
        Subscriptions.Setup(g => g.CancelSubscriptionAsync("sub_new", false, "billing-duplicate-cancel-sub_new", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Subscription("sub_new", "canceled")));
        Subscriptions.Setup(g => g.RefundLatestPaymentAsync("sub_new", "duplicate", "billing-duplicate-refund-sub_new", It.IsAny<CancellationToken>(), 1m)).ReturnsAsync(Result<string?>.Success("re_1"));
        AccountHistoryEntry? recorded = null;
        History.Setup(h => h.Add(It.IsAny<AccountHistoryEntry>())).Callback<AccountHistoryEntry>(e => recorded = e);

        var result = await Handler().Handle(Changed("sub_new", SubscriptionChange.Created), default);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        Assert.That(account.StripeSubscriptionId, Is.EqualTo("sub_old"), "the account keeps the older subscription");
        Assert.That(account.Tier, Is.EqualTo(Tier.Starter));
        Assert.That(recorded!.Kind, Is.EqualTo("duplicate_subscription_canceled"));
        Assert.That(recorded.Detail, Does.Contain("re_1"));
    }

    [Test]
    public async Task When_the_held_subscription_is_the_newer_one_it_is_canceled_and_the_account_moves_to_the_older()
    {
        var account = Linked();
        account.ApplySubscription(new SubscriptionSnapshot("sub_new", "cus_1", SubscriptionStatus.Active, Tier.Professional, BillingCycle.Monthly, Now, Now.AddMonths(1), false, 4900, "usd"), Now.AddMinutes(-5));
        Holds(Subscription("sub_old", "active", "starter", Now.AddMinutes(-10)));
        Holds(Subscription("sub_new", "active", "professional", Now));
        Subscriptions.Setup(g => g.CancelSubscriptionAsync("sub_new", false, It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Subscription("sub_new", "canceled")));
        Subscriptions.Setup(g => g.RefundLatestPaymentAsync("sub_new", "duplicate", It.IsAny<string>(), It.IsAny<CancellationToken>(), 1m)).ReturnsAsync(Result<string?>.Success(null));

        var result = await Handler().Handle(Changed("sub_old", SubscriptionChange.Created), default);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        Assert.That(account.StripeSubscriptionId, Is.EqualTo("sub_old"));
        Assert.That(account.Tier, Is.EqualTo(Tier.Starter));
    }

    [Test]
    public async Task A_trial_ending_is_recorded_on_the_account_as_a_notice_while_it_is_trialing()
    {
        var account = Linked();
        Holds(Subscription("sub_1", "trialing", "professional"));

        var result = await Handler().Handle(Changed("sub_1", SubscriptionChange.TrialEnding), default);

        Assert.That(result.Value, Does.EndWith(AccountNotices.Told));
        Assert.That(account.PendingEvents.OfType<TrialEndingSoon>().Single().Occasion, Is.EqualTo("evt_1"));
    }
}
