using Billing.Application.Common;
using Billing.Application.Ports;
using Billing.Application.Webhooks.Apply;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Webhooks;

/// <summary>A completed checkout: linked to the user it names, never to one linked to another customer.</summary>
public sealed class ApplyCheckoutCompletedTests : WebhookHandlerFixture
{
    private Mock<IPaymentMethodGateway> _cards = null!;

    [SetUp]
    public void FreshCards() => _cards = new Mock<IPaymentMethodGateway>();

    private ApplyCheckoutCompleted Handler() => new(Applier(), Accounts.Object, _cards.Object, Reads(), History.Object, Notices(), new FakeTimeProvider(Now));

    private BillingAccount Linked(string customer)
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-1));
        account.LinkStripeCustomer(customer, Now.AddDays(-1));
        Accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        Accounts.Setup(a => a.GetOrOpenAsync("u1", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    private static CheckoutCompleted Completed(string? subscriptionId = null, string? userId = "u1", bool savedCard = false) =>
        new("evt_1", Now, "cs_1", "cus_1", subscriptionId, userId, null, savedCard, savedCard ? "seti_1" : null);

    [Test]
    public async Task A_completed_checkout_forgets_the_open_session_of_its_user()
    {
        var account = Linked("cus_1");
        account.RecordOpenCheckout(new OpenCheckout("cs_1", Tier.Starter, BillingCycle.Monthly, "https://checkout/cs_1", Now.AddHours(1)));

        var result = await Handler().Handle(Completed(), default);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        Assert.That(account.OpenCheckout, Is.Null);
    }

    [Test]
    public async Task A_checkout_for_a_user_linked_to_another_customer_is_a_conflict()
    {
        Linked("cus_other");

        var result = await Handler().Handle(Completed("sub_1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("customer_mismatch"));
        Subscriptions.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_checkout_that_names_no_user_changes_nothing()
    {
        var result = await Handler().Handle(Completed("sub_1", userId: null), default);

        Assert.That(result.Value, Does.Contain("names no user"));
        Accounts.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_card_saved_with_no_open_invoice_becomes_the_default_and_nothing_is_paid()
    {
        Linked("cus_1");
        _cards.Setup(c => c.AdoptSetupPaymentMethodAsync("seti_1", "cus_1", null, "billing-card-adopt-cs_1", It.IsAny<CancellationToken>())).ReturnsAsync(Billing.Application.Common.Results.Result<string>.Success("pm_1"));

        var result = await Handler().Handle(Completed(savedCard: true), default);

        Assert.That(result.Value, Does.Contain("new default card"));
        _cards.Verify(c => c.PayInvoiceAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
