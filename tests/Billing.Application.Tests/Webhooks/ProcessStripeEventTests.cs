using Microsoft.Extensions.Options;
using System.Text.Json.Nodes;
using Billing.Application.Common;
using Billing.Application.Common.Accounts;
using Billing.Application.Common.Messaging;
using Billing.Application.Common.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Process;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Webhooks;

/// <summary>The rules of processing one stored Stripe event, with every port mocked.</summary>
public sealed class ProcessStripeEventTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<IWebhookInbox> _inbox = null!;
    private Mock<IStripeEventReader> _reader = null!;
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<ISubscriptionGateway> _gateway = null!;
    private Mock<IAccountHistory> _history = null!;

    [SetUp]
    public void FreshMocks()
    {
        _inbox = new Mock<IWebhookInbox>();
        _reader = new Mock<IStripeEventReader>();
        _accounts = new Mock<IBillingAccountRepository>();
        _gateway = new Mock<ISubscriptionGateway>();
        _history = new Mock<IAccountHistory>();
    }

    private ProcessStripeEventHandler Handler() => new(
        _inbox.Object, _reader.Object, _accounts.Object, Mock.Of<IPaymentMethodGateway>(),
        new StripeSubscriptionApplier(_accounts.Object, _gateway.Object, new SubscriptionTranslator(TestCatalog.Create()), _history.Object, new FakeTimeProvider(Now), NullLogger<StripeSubscriptionApplier>.Instance),
        _history.Object,
        new EventNotifications(Mock.Of<INotificationSender>(), Mock.Of<INotificationQueue>(), new FakeTimeProvider(Now), Options.Create(new BillingOptions())),
        Invoices(),
        new RefundEvents(Invoices(), Mock.Of<IInvoiceBook>(), Mock.Of<IInvoiceGateway>()),
        new DisputeEvents(Invoices(), _accounts.Object, Mock.Of<IDisputeBook>(), _history.Object, Mock.Of<INotificationSender>(), Mock.Of<INotificationQueue>(), new FakeTimeProvider(Now), Options.Create(new BillingOptions()), NullLogger<DisputeEvents>.Instance),
        new FakeTimeProvider(Now), new BillingMetrics());

    private Billing.Application.Common.Invoices.InvoiceRecorder Invoices() => new(Mock.Of<IInvoiceBook>(), Mock.Of<IInvoiceGateway>());

    private void Claimed(string eventId, string type, string? subscriptionId, string? customerId = "cus_1", string? userId = null)
    {
        _inbox.Setup(i => i.FindClaimedAsync(eventId, "w1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new InboxEntry(eventId, type, "{}", InboxStatus.Pending, 1, Now, Now, null, null, null));
        _reader.Setup(r => r.Read("{}")).Returns(Result<StripeEventFacts>.Success(new StripeEventFacts(type, subscriptionId ?? "obj_1", customerId, subscriptionId, userId, userId, null)));
    }

    private static GatewaySubscription Subscription(string id, string status, string tier = "starter", DateTimeOffset? created = null, string customer = "cus_1") =>
        new(id, customer, status, created ?? Now, "si_1", "price_1", null, $"billing_{tier}", tier, "month", "in_1", 1900, "usd", Now, Now.AddMonths(1), false, new Dictionary<string, string>());

    private BillingAccount Linked(string userId = "u1", string customer = "cus_1")
    {
        var account = BillingAccount.Open(userId, "u1@example.com", Now.AddDays(-1));
        account.LinkStripeCustomer(customer, Now.AddDays(-1));
        _accounts.Setup(a => a.FindByStripeCustomerAsync(customer, It.IsAny<CancellationToken>())).ReturnsAsync(account);
        _accounts.Setup(a => a.FindAsync(userId, It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    [Test]
    public async Task An_event_this_worker_no_longer_holds_changes_nothing_and_is_no_failure()
    {
        var result = await Handler().Handle(new ProcessStripeEvent("evt_1", "w1"), default);

        Assert.That(result.IsSuccess, Is.True);
        _gateway.VerifyNoOtherCalls();
        _inbox.Verify(i => i.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task The_subscription_is_fetched_from_Stripe_not_taken_from_the_event_and_the_event_completed()
    {
        var account = Linked();
        Claimed("evt_1", "customer.subscription.updated", "sub_1");
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Subscription("sub_1", "active", "professional")));

        var result = await Handler().Handle(new ProcessStripeEvent("evt_1", "w1"), default);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        Assert.That(account.Tier, Is.EqualTo(Tier.Professional));
        Assert.That(account.Status, Is.EqualTo(SubscriptionStatus.Active));
        _inbox.Verify(i => i.CompleteAsync("evt_1", "w1", It.Is<string>(o => o.Contains("professional", StringComparison.Ordinal)), Now, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task A_failure_to_read_Stripe_leaves_the_event_pending_for_a_retry()
    {
        Linked();
        Claimed("evt_1", "invoice.paid", "sub_1");
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Failure(new Error(ErrorKind.UpstreamUnavailable, "stripe_unavailable", "down")));

        var result = await Handler().Handle(new ProcessStripeEvent("evt_1", "w1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("stripe_unavailable"));
        _inbox.Verify(i => i.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task A_second_live_subscription_that_is_newer_is_canceled_refunded_and_recorded()
    {
        var account = Linked();
        account.ApplySubscription(new SubscriptionSnapshot("sub_old", "cus_1", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, Now, Now.AddMonths(1), false, 1900, "usd"), Now.AddMinutes(-5));
        Claimed("evt_2", "customer.subscription.created", "sub_new");
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_new", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Subscription("sub_new", "active", "professional", Now)));
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_old", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Subscription("sub_old", "active", "starter", Now.AddMinutes(-10))));
        _gateway.Setup(g => g.CancelSubscriptionAsync("sub_new", false, "billing-duplicate-cancel-sub_new", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Subscription("sub_new", "canceled")));
        _gateway.Setup(g => g.RefundLatestPaymentAsync("sub_new", "duplicate", "billing-duplicate-refund-sub_new", It.IsAny<CancellationToken>())).ReturnsAsync(Result<string?>.Success("re_1"));
        AccountHistoryEntry? recorded = null;
        _history.Setup(h => h.Add(It.IsAny<AccountHistoryEntry>())).Callback<AccountHistoryEntry>(e => recorded = e);

        var result = await Handler().Handle(new ProcessStripeEvent("evt_2", "w1"), default);

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
        Claimed("evt_3", "customer.subscription.created", "sub_old");
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_old", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Subscription("sub_old", "active", "starter", Now.AddMinutes(-10))));
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_new", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Subscription("sub_new", "active", "professional", Now)));
        _gateway.Setup(g => g.CancelSubscriptionAsync("sub_new", false, It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Subscription("sub_new", "canceled")));
        _gateway.Setup(g => g.RefundLatestPaymentAsync("sub_new", "duplicate", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(Result<string?>.Success(null));

        var result = await Handler().Handle(new ProcessStripeEvent("evt_3", "w1"), default);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        Assert.That(account.StripeSubscriptionId, Is.EqualTo("sub_old"));
        Assert.That(account.Tier, Is.EqualTo(Tier.Starter));
    }

    [Test]
    public async Task A_completed_checkout_forgets_the_open_session_of_its_user()
    {
        var account = Linked();
        account.RecordOpenCheckout(new OpenCheckout("cs_1", Tier.Starter, BillingCycle.Monthly, "https://checkout/cs_1", Now.AddHours(1)));
        _accounts.Setup(a => a.GetOrOpenAsync("u1", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(account);
        _inbox.Setup(i => i.FindClaimedAsync("evt_4", "w1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new InboxEntry("evt_4", "checkout.session.completed", "{}", InboxStatus.Pending, 1, Now, Now, null, null, null));
        _reader.Setup(r => r.Read("{}")).Returns(Result<StripeEventFacts>.Success(new StripeEventFacts("checkout.session.completed", "cs_1", "cus_1", null, "u1", "u1", null)));

        var result = await Handler().Handle(new ProcessStripeEvent("evt_4", "w1"), default);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        Assert.That(account.OpenCheckout, Is.Null);
    }

    [Test]
    public async Task A_checkout_for_a_user_linked_to_another_customer_is_a_conflict()
    {
        var account = Linked(customer: "cus_other");
        _accounts.Setup(a => a.GetOrOpenAsync("u1", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(account);
        _inbox.Setup(i => i.FindClaimedAsync("evt_5", "w1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new InboxEntry("evt_5", "checkout.session.completed", "{}", InboxStatus.Pending, 1, Now, Now, null, null, null));
        _reader.Setup(r => r.Read("{}")).Returns(Result<StripeEventFacts>.Success(new StripeEventFacts("checkout.session.completed", "cs_1", "cus_1", "sub_1", "u1", "u1", null)));

        var result = await Handler().Handle(new ProcessStripeEvent("evt_5", "w1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("customer_mismatch"));
        _gateway.VerifyNoOtherCalls();
    }
}
