using Billing.Application.Accounts;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Application.Webhooks.Apply;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Accounts;
using Billing.Domain.Accounts.Events;
using Moq;

namespace Billing.Application.Tests.Webhooks;

/// <summary>A first payment by bank debit settles: the account leaves pending_payment, or its unpaid subscription ends once.</summary>
public sealed class ApplyCheckoutPaymentSettledTests : WebhookHandlerFixture
{
    private ApplyCheckoutPaymentSettled Handler() =>
        new(Accounts.Object, Applier(), Subscriptions.Object, new SubscriptionTranslator(TestCatalog.Create()), History.Object);

    private BillingAccount Pending()
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-6));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", Domain.Plans.SubscriptionStatus.Active, Domain.Plans.Tier.Starter, Domain.Plans.BillingCycle.Monthly, Now.AddDays(-6), Now.AddDays(24), false, 1900, "eur"), Now.AddDays(-6));
        account.NoteFirstPaymentPending("cs_1", Now.AddDays(-6));
        account.ClearPendingEvents();
        Accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        Accounts.Setup(a => a.GetOrOpenAsync("u1", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    private static CheckoutPaymentSettled Settled(bool succeeded) => new("evt_2", Now, "cs_1", "cus_1", "sub_1", "u1", succeeded);

    [Test]
    public async Task A_debit_that_went_through_ends_the_wait_and_reads_the_subscription_again()
    {
        var account = Pending();
        Subscriptions.Setup(s => s.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>())).ReturnsAsync(Subscription("sub_1", "active"));

        var result = await Handler().Handle(Settled(succeeded: true), default);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        Assert.That(account.AwaitsFirstPayment, Is.False);
        Assert.That(account.PendingEvents.OfType<FirstPaymentSucceeded>(), Has.Exactly(1).Items);
        Subscriptions.Verify(s => s.CancelSubscriptionAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task A_failed_debit_ends_the_unpaid_subscription_at_once_under_a_key_of_the_session()
    {
        var account = Pending();
        Subscriptions.Setup(s => s.CancelSubscriptionAsync("sub_1", false, "billing-debit-failed-cs_1", It.IsAny<CancellationToken>())).ReturnsAsync(Subscription("sub_1", "canceled"));

        var result = await Handler().Handle(Settled(succeeded: false), default);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        Assert.That(account.HasLiveSubscription, Is.False, "checkout is allowed again");
        Assert.That(account.PendingEvents.OfType<FirstPaymentFailed>().Single().SubscriptionId, Is.EqualTo("sub_1"));
        Assert.That(account.EndedByFailedDebit("sub_1"), Is.True);
    }

    [Test]
    public async Task A_redelivered_settlement_changes_nothing_and_asks_Stripe_nothing()
    {
        var account = Pending();
        account.SettleFirstPayment("cs_1", "sub_1", succeeded: false, Now);
        account.ClearPendingEvents();

        var result = await Handler().Handle(Settled(succeeded: false), default);

        Assert.That(result.Value, Does.Contain("settled before"));
        Assert.That(account.PendingEvents, Is.Empty);
        Subscriptions.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_subscription_already_gone_in_Stripe_is_no_failure()
    {
        Pending();
        Subscriptions.Setup(s => s.CancelSubscriptionAsync("sub_1", false, "billing-debit-failed-cs_1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Error(ErrorKind.NotFound, "resource_missing", "No such subscription: 'sub_1'"));

        var result = await Handler().Handle(Settled(succeeded: false), default);

        Assert.That(result.Value, Does.Contain("had already ended"));
    }

    [Test]
    public async Task A_settlement_naming_no_account_of_this_service_changes_nothing()
    {
        var result = await Handler().Handle(Settled(succeeded: true) with { UserId = null }, default);

        Assert.That(result.Value, Does.Contain("names no account"));
        Subscriptions.VerifyNoOtherCalls();
    }
}
