using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Notifications;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Apply;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Accounts;
using Billing.Domain.Accounts.Events;
using Billing.Domain.Plans;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Webhooks;

/// <summary>A subscription event: Stripe's state read and applied, a second live subscription ended, the user told.</summary>
public sealed class ApplySubscriptionChangedTests : WebhookHandlerFixture
{
    private ApplySubscriptionChanged Handler() => new(Applier(), Notices());

    private static SubscriptionChanged Changed(string subscriptionId, SubscriptionChange change = SubscriptionChange.Updated, DateTimeOffset? created = null) =>
        new("evt_1", created ?? Now, subscriptionId, "cus_1", change, null);

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
    public async Task The_subscription_is_fetched_from_Stripe_not_taken_from_the_event()
    {
        var account = Linked();
        Holds(Subscription("sub_1", "active", "professional"));

        var result = await Handler().Handle(Changed("sub_1"), default);

        Assert.That(result.Value, Does.Contain("professional"));
        Assert.That(account.Tier, Is.EqualTo(Tier.Professional));
        Assert.That(account.Status, Is.EqualTo(SubscriptionStatus.Active));
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
    public async Task An_event_created_well_before_theAccounts_latest_read_costs_no_read()
    {
        var account = Linked();
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, Now, Now.AddMonths(1), false, 1900, "usd"), Now);

        var result = await Handler().Handle(Changed("sub_1", created: Now - StripeSubscriptionApplier.CoveredAfter), default);

        Assert.That(result.Value, Does.Contain("nothing to read again"));
        Subscriptions.VerifyNoOtherCalls();
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
