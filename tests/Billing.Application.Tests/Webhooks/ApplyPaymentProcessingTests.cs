using Billing.Application.Webhooks.Apply;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Moq;

namespace Billing.Application.Tests.Webhooks;

/// <summary>A payment processing (a bank debit): noted on its customer's account, never on a stranger's.</summary>
public sealed class ApplyPaymentProcessingTests : WebhookHandlerFixture
{
    private ApplyPaymentProcessing Handler() => new(Accounts.Object);

    [Test]
    public async Task A_processing_debit_of_an_open_invoice_reads_as_on_its_way()
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now);
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, Now, Now.AddMonths(1), false, 1700, "eur", OpenInvoice: new OpenInvoice("in_2", null, null, Now)), Now);
        Accounts.Setup(a => a.FindByStripeCustomerAsync("cus_1", It.IsAny<CancellationToken>())).ReturnsAsync(account);

        var result = await Handler().Handle(new PaymentProcessing("evt_1", Now, "pi_1", "cus_1"), default);

        Assert.That(result.Value, Does.Contain("on its way"));
        Assert.That(account.PaymentProcessing, Is.True);
    }

    [Test]
    public async Task A_payment_of_no_customer_here_changes_nothing()
    {
        var result = await Handler().Handle(new PaymentProcessing("evt_1", Now, "pi_1", "cus_stranger"), default);

        Assert.That(result.Value, Does.Contain("no customer of this service"));
    }
}
