using Billing.Application.Balance.Credit;
using Billing.Application.Balance.Get;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Application.Webhooks.Apply;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Balance;

/// <summary>Credit an operator gives: once per request, in the account's currency only, and kept for the user to read.</summary>
public sealed class CreditBalanceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<ICustomerBalanceGateway> _gateway = null!;
    private Mock<IBalanceLedger> _ledger = null!;
    private Mock<IAccountHistory> _history = null!;
    private BillingAccount _account = null!;

    [SetUp]
    public void FreshMocks()
    {
        _accounts = new Mock<IBillingAccountRepository>();
        _gateway = new Mock<ICustomerBalanceGateway>();
        _ledger = new Mock<IBalanceLedger>();
        _history = new Mock<IAccountHistory>();
        _ledger.Setup(l => l.ListAsync("u1", It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        _account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-10));
        _account.LinkStripeCustomer("cus_1", Now.AddDays(-10));
        _account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), false, 1900, "eur"), Now.AddDays(-10));
        _accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(_account);
        _accounts.Setup(a => a.FindByStripeCustomerAsync("cus_1", It.IsAny<CancellationToken>())).ReturnsAsync(_account);
    }

    private CreditBalanceHandler Handler() => new(_accounts.Object, _gateway.Object, _ledger.Object, _history.Object, new FakeTimeProvider(Now));

    [Test]
    public async Task A_credit_goes_to_stripe_keyed_by_the_request_and_shows_as_credit_for_the_next_invoice()
    {
        string? key = null;
        _gateway.Setup(g => g.CreditAsync("cus_1", 1000, "eur", "Outage", It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback<string, long, string, string, string, CancellationToken>((_, _, _, _, k, _) => key = k)
            .ReturnsAsync(Result<GatewayBalanceTransaction>.Success(new GatewayBalanceTransaction("cbtxn_1", 1000, "eur", -1000, Now)));

        var balance = await Handler().Handle(new CreditBalance("u1", 1000, "EUR", "Outage", "admin-1", "key-1"), default);

        Assert.That(balance.IsSuccess, Is.True, balance.Error?.Detail);
        Assert.That(key, Is.EqualTo("billing-credit-u1-key-1"));
        Assert.That(balance.Value.Credit, Is.EqualTo(1000));
        Assert.That(balance.Value.Credits.Single().TransactionId, Is.EqualTo("cbtxn_1"));
        Assert.That(_account.CreditAvailable, Is.EqualTo(1000));
        _ledger.Verify(l => l.Add(It.Is<BalanceCredit>(c => c.Amount == 1000 && c.GrantedBy == "admin-1")), Times.Once);
        _history.Verify(h => h.Add(It.Is<AccountHistoryEntry>(e => e.Kind == "balance_credited")), Times.Once);
    }

    [Test]
    public async Task Run_again_after_a_concurrent_change_the_same_transaction_is_kept_once()
    {
        _gateway.Setup(g => g.CreditAsync("cus_1", 1000, "eur", "Outage", It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewayBalanceTransaction>.Success(new GatewayBalanceTransaction("cbtxn_1", 1000, "eur", -1000, Now)));
        _ledger.Setup(l => l.HasAsync("cbtxn_1", It.IsAny<CancellationToken>())).ReturnsAsync(true);

        await Handler().Handle(new CreditBalance("u1", 1000, "eur", "Outage", "admin-1", "key-1"), default);

        _ledger.Verify(l => l.Add(It.IsAny<BalanceCredit>()), Times.Never);
    }

    [Test]
    public async Task Another_currency_than_the_accounts_is_refused_before_stripe_is_asked()
    {
        var refused = await Handler().Handle(new CreditBalance("u1", 1000, "usd", "Outage", "admin-1"), default);

        Assert.That(refused.Error!.Code, Is.EqualTo("currency_mismatch"));
        _gateway.VerifyNoOtherCalls();
    }

    [Test]
    public void Amount_currency_and_reason_are_required()
    {
        var validator = new CreditBalanceValidator();

        Assert.That(validator.Validate(new CreditBalance("u1", 0, "eur", "x", "a")).Errors.Single().PropertyName, Is.EqualTo("amount"));
        Assert.That(validator.Validate(new CreditBalance("u1", 100, "euro", "x", "a")).Errors.Single().PropertyName, Is.EqualTo("currency"));
        Assert.That(validator.Validate(new CreditBalance("u1", 100, "eur", "", "a")).Errors.Single().PropertyName, Is.EqualTo("reason"));
        Assert.That(validator.Validate(new CreditBalance("u1", CreditBalance.MaxAmount + 1, "eur", "x", "a")).IsValid, Is.False);
    }

    [Test]
    public async Task The_balance_follows_stripes_customer_events_in_the_order_they_were_created()
    {
        var handler = new ApplyCustomerUpdated(_accounts.Object);

        await handler.Handle(new CustomerUpdated("evt_2", Now.AddMinutes(2), "cus_1", 0), default);
        await handler.Handle(new CustomerUpdated("evt_1", Now.AddMinutes(1), "cus_1", -1000), default);
        var balance = await new GetBalanceHandler(_accounts.Object, _ledger.Object, new FakeTimeProvider(Now)).Handle(new GetBalance("u1"), default);

        Assert.That(balance.Value.Credit, Is.Zero, "the invoice used the credit; the older report of it changes nothing");
        Assert.That(balance.Value.Currency, Is.EqualTo("eur"));
    }
}
