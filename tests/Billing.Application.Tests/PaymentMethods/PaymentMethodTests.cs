using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.PaymentMethods.List;
using Billing.Application.PaymentMethods.Update;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.PaymentMethods;

/// <summary>Saved cards: listed with the subscription's default marked, and a new one saved through a setup session in the customer's currency.</summary>
public sealed class PaymentMethodTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<IBillingAccountRepository> _accounts = null!;

    [SetUp]
    public void FreshMocks() => _accounts = new Mock<IBillingAccountRepository>();

    private BillingAccount Customer(bool subscribed)
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-10));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-10));
        if (subscribed)
        {
            account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), false, 1900, "eur"), Now.AddDays(-10));
        }

        _accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    [Test]
    public async Task Cards_are_listed_with_the_live_subscriptions_default()
    {
        Customer(subscribed: true);
        var gateway = new Mock<IPaymentMethodGateway>();
        gateway.Setup(g => g.ListPaymentMethodsAsync("cus_1", "sub_1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<SavedPaymentMethod>>.Success([new SavedPaymentMethod("pm_1", "visa", "4242", 12, 2030, true), new SavedPaymentMethod("pm_2", "mastercard", "4444", 1, 2029, false)]));

        var list = (await new ListPaymentMethodsHandler(_accounts.Object, gateway.Object).Handle(new ListPaymentMethods("u1"), default)).Value;

        Assert.That(list.PaymentMethods.Select(m => (m.Id, m.Last4, m.IsDefault)), Is.EqualTo(new[] { ("pm_1", "4242", true), ("pm_2", "4444", false) }));
    }

    [Test]
    public async Task A_bank_account_for_debits_is_listed_with_its_type_and_no_expiry()
    {
        Customer(subscribed: true);
        var gateway = new Mock<IPaymentMethodGateway>();
        gateway.Setup(g => g.ListPaymentMethodsAsync("cus_1", "sub_1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<SavedPaymentMethod>>.Success([new SavedPaymentMethod("pm_1", "sepa_debit", "3000", null, null, true, "sepa_debit")]));

        var listed = (await new ListPaymentMethodsHandler(_accounts.Object, gateway.Object).Handle(new ListPaymentMethods("u1"), default)).Value.PaymentMethods.Single();

        Assert.That((listed.Type, listed.Last4, listed.ExpMonth, listed.ExpYear, listed.IsDefault), Is.EqualTo(("sepa_debit", "3000", (int?)null, (int?)null, true)));
    }

    [Test]
    public async Task Without_a_Stripe_customer_there_are_no_cards_and_Stripe_is_not_asked()
    {
        var gateway = new Mock<IPaymentMethodGateway>();

        var list = (await new ListPaymentMethodsHandler(_accounts.Object, gateway.Object).Handle(new ListPaymentMethods("nobody"), default)).Value;

        Assert.That(list.PaymentMethods, Is.Empty);
        gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_card_update_opens_a_setup_session_in_the_subscriptions_currency_keyed_by_the_request()
    {
        Customer(subscribed: true);
        var gateway = new Mock<ICheckoutGateway>();
        NewSetupSession? asked = null;
        gateway.Setup(g => g.CreateSetupSessionAsync(It.IsAny<NewSetupSession>(), It.IsAny<CancellationToken>()))
            .Callback<NewSetupSession, CancellationToken>((s, _) => asked = s)
            .ReturnsAsync(Result<CheckoutSessionCreated>.Success(new CheckoutSessionCreated("cs_1", "https://checkout.stripe.com/c/cs_1", Now.AddHours(1))));
        var options = Options.Create(new BillingOptions { PortalReturnUrl = "https://app.example/billing", CheckoutSessionLifetime = TimeSpan.FromMinutes(45) });

        var view = (await new StartPaymentMethodUpdateHandler(_accounts.Object, gateway.Object, TestCatalog.Create(), new FakeTimeProvider(Now), options).Handle(new StartPaymentMethodUpdate("u1", "key-1"), default)).Value;

        Assert.That(view, Is.EqualTo(new PaymentMethodUpdateView("https://checkout.stripe.com/c/cs_1", "cs_1")));
        Assert.That(asked!.Currency, Is.EqualTo("eur"));
        Assert.That(asked.SuccessUrl, Is.EqualTo("https://app.example/billing?payment_method=updated"));
        Assert.That(asked.ExpiresAt, Is.EqualTo(Now.AddMinutes(45)));
        Assert.That(asked.IdempotencyKey, Is.EqualTo("billing-card-update-u1-key-1"));
    }

    [Test]
    public async Task A_card_update_before_any_payment_is_not_found()
    {
        var gateway = new Mock<ICheckoutGateway>();

        var result = await new StartPaymentMethodUpdateHandler(_accounts.Object, gateway.Object, TestCatalog.Create(), new FakeTimeProvider(Now), TestCatalog.Options()).Handle(new StartPaymentMethodUpdate("nobody"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("no_payment_customer"));
        gateway.VerifyNoOtherCalls();
    }
}
