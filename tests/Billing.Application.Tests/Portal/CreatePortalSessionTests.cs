using Billing.Application.Accounts;
using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Portal.Create;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Microsoft.Extensions.Options;
using Moq;

namespace Billing.Application.Tests.Portal;

/// <summary>The customer portal: opened for the caller's Stripe customer, created once (keyed) when they have none yet.</summary>
public sealed class CreatePortalSessionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<ICustomerGateway> _customers = null!;
    private Mock<ICheckoutGateway> _gateway = null!;
    private Mock<IPortalConfigurationGateway> _portal = null!;

    [SetUp]
    public void FreshMocks()
    {
        _portal = new Mock<IPortalConfigurationGateway>();
        _portal.Setup(p => p.FindManagedAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<PortalConfiguration?>.Success(new PortalConfiguration("bpc_managed", null, null, null, "https://app.example/billing", [], "create_prorations", true, [])));
        _accounts = new Mock<IBillingAccountRepository>();
        _customers = new Mock<ICustomerGateway>();
        _gateway = new Mock<ICheckoutGateway>();
        _gateway.Setup(g => g.CreatePortalSessionAsync(It.IsAny<string>(), "https://app.example/billing", "bpc_managed", It.IsAny<CancellationToken>())).ReturnsAsync(Result<string>.Success("https://billing.stripe.com/p/session/1"));
    }

    private CreatePortalSessionHandler Handler() =>
        new(new PaymentCustomers(_accounts.Object, _customers.Object), _gateway.Object, _portal.Object, Options.Create(new BillingOptions { PortalReturnUrl = "https://app.example/billing" }));

    [Test]
    public async Task A_customer_gets_a_portal_session_returning_to_the_billing_page()
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now);
        account.LinkStripeCustomer("cus_1", Now);
        _accounts.Setup(a => a.GetOrOpenAsync("u1", "u1@example.com", It.IsAny<CancellationToken>())).ReturnsAsync(account);

        var view = (await Handler().Handle(new CreatePortalSession("u1", "u1@example.com"), default)).Value;

        Assert.That(view.PortalUrl, Is.EqualTo("https://billing.stripe.com/p/session/1"));
        _gateway.Verify(g => g.CreatePortalSessionAsync("cus_1", It.IsAny<string>(), "bpc_managed", It.IsAny<CancellationToken>()));
        _customers.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_user_without_a_customer_gets_one_created_once_by_a_key_of_their_own()
    {
        var account = BillingAccount.Open("u2", "u2@example.com", Now);
        _accounts.Setup(a => a.GetOrOpenAsync("u2", "u2@example.com", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        _customers.Setup(c => c.CreateCustomerAsync(It.Is<NewCustomer>(n => n.IdempotencyKey == "billing-customer-u2"), It.IsAny<CancellationToken>())).ReturnsAsync(Result<string>.Success("cus_2"));
        _accounts.Setup(a => a.LinkStripeCustomerAsync("u2", "cus_2", It.IsAny<CancellationToken>())).ReturnsAsync(() =>
        {
            account.LinkStripeCustomer("cus_2", Now);
            return account;
        });

        var result = await Handler().Handle(new CreatePortalSession("u2", "u2@example.com"), default);

        Assert.That(result.IsSuccess, Is.True);
        _gateway.Verify(g => g.CreatePortalSessionAsync("cus_2", It.IsAny<string>(), "bpc_managed", It.IsAny<CancellationToken>()));
    }

    [Test]
    public async Task When_Stripe_cannot_create_the_customer_no_session_is_opened()
    {
        _accounts.Setup(a => a.GetOrOpenAsync("u3", "u3@example.com", It.IsAny<CancellationToken>())).ReturnsAsync(BillingAccount.Open("u3", "u3@example.com", Now));
        _customers.Setup(c => c.CreateCustomerAsync(It.IsAny<NewCustomer>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<string>.Failure(new Error(ErrorKind.UpstreamUnavailable, "stripe_unavailable", "Stripe is down.")));

        var result = await Handler().Handle(new CreatePortalSession("u3", "u3@example.com"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("stripe_unavailable"));
        _gateway.VerifyNoOtherCalls();
    }
}
