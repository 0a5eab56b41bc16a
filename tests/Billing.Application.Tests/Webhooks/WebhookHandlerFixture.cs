using Billing.Application.Accounts;
using Billing.Application.Common;
using Billing.Application.Notifications;
using Billing.Application.Ports;
using Billing.Application.Webhooks.Apply;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Billing.Domain.Plans;
using Moq;

namespace Billing.Application.Tests.Webhooks;

/// <summary>The ports every Stripe event handler's tests mock, fresh for each test, and the pieces built on them.</summary>
public abstract class WebhookHandlerFixture
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    protected Mock<IBillingAccountRepository> Accounts { get; private set; } = null!;

    protected Mock<ISubscriptionGateway> Subscriptions { get; private set; } = null!;

    protected Mock<IAccountHistory> History { get; private set; } = null!;

    protected Mock<IInvoiceBook> InvoiceBook { get; private set; } = null!;

    protected BillingMetrics Metrics { get; } = new();

    [SetUp]
    public void FreshPorts()
    {
        Accounts = new Mock<IBillingAccountRepository>();
        Subscriptions = new Mock<ISubscriptionGateway>();
        History = new Mock<IAccountHistory>();
        InvoiceBook = new Mock<IInvoiceBook>();
    }

    protected SubscriptionReads Reads() => new(Subscriptions.Object, new FakeTimeProvider(Now), Metrics);

    protected StripeSubscriptionApplier Applier() =>
        new(Accounts.Object, Subscriptions.Object, Reads(), new SubscriptionTranslator(TestCatalog.Create()), InvoiceBook.Object, History.Object, NullLogger<StripeSubscriptionApplier>.Instance);

    protected AccountNotices Notices() => new(Accounts.Object);

    protected static GatewaySubscription Subscription(string id, string status, string tier = "starter", DateTimeOffset? created = null, string customer = "cus_1") =>
        new(id, customer, status, created ?? Now, "si_1", "price_1", null, $"billing_{tier}", tier, BillingCycle.Monthly, "in_1", 1900, "usd", Now, Now.AddMonths(1), false, new Dictionary<string, string>());
}
