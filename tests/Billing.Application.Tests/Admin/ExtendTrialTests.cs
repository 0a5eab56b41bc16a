using Billing.Application.Accounts;
using Billing.Application.Admin.ExtendTrial;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Admin;

/// <summary>An admin moves a running trial's end, once per request, however often the request runs.</summary>
public sealed class ExtendTrialTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset TrialEnd = Now.AddDays(3);
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<ISubscriptionGateway> _gateway = null!;
    private Mock<IAccountHistory> _history = null!;

    [SetUp]
    public void FreshMocks()
    {
        _accounts = new Mock<IBillingAccountRepository>();
        _gateway = new Mock<ISubscriptionGateway>();
        _history = new Mock<IAccountHistory>();
    }

    private ExtendTrialHandler Handler() =>
        new(_accounts.Object, _gateway.Object, new SubscriptionChanges(new SubscriptionTranslator(TestCatalog.Create()), new FakeTimeProvider(Now), TestCatalog.Options()), _history.Object, new FakeTimeProvider(Now));

    private BillingAccount Account(SubscriptionStatus status)
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-4));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-4));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", status, Tier.Professional, BillingCycle.Monthly, Now.AddDays(-4), TrialEnd, false, 4900, "usd", TrialEnd: TrialEnd), Now.AddDays(-4));
        _accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    private static GatewaySubscription Trialing(DateTimeOffset trialEnd, string? markedBy = null) =>
        new("sub_1", "cus_1", "trialing", Now.AddDays(-4), "si_1", "price_1", null, "billing_professional", "professional", BillingCycle.Monthly, null, 4900, "usd", Now.AddDays(-4), trialEnd, false,
            markedBy is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [SubscriptionChangeRequest.MetadataKey] = markedBy })
        {
            TrialEnd = trialEnd,
        };

    [Test]
    public async Task A_running_trial_is_moved_by_the_days_asked_and_the_history_says_who_did_it()
    {
        var account = Account(SubscriptionStatus.Trialing);
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Trialing(TrialEnd)));
        _gateway.Setup(g => g.ExtendTrialAsync("sub_1", TrialEnd.AddDays(7), "billing-trial-extend-u1-key-1", "billing-trial-extend-u1-key-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Success(Trialing(TrialEnd.AddDays(7), "billing-trial-extend-u1-key-1")));

        var result = await Handler().Handle(new ExtendTrial("u1", 7, "admin-1", "key-1"), default);

        Assert.That(result.IsSuccess, Is.True, result.Error?.Detail);
        Assert.That(account.TrialEnd, Is.EqualTo(TrialEnd.AddDays(7)));
        _history.Verify(h => h.Add(It.Is<AccountHistoryEntry>(e => e.Kind == "trial_extended" && e.Detail.Contains("7 days") && e.Detail.Contains("admin-1"))), Times.Once);
    }

    [Test]
    public async Task Run_again_after_its_own_webhook_it_finds_its_mark_and_never_moves_the_trial_twice()
    {
        Account(SubscriptionStatus.Trialing);
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Success(Trialing(TrialEnd.AddDays(7), "billing-trial-extend-u1-key-1")));

        var result = await Handler().Handle(new ExtendTrial("u1", 7, "admin-1", "key-1"), default);

        Assert.That(result.IsSuccess, Is.True);
        _gateway.Verify(g => g.ExtendTrialAsync(It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Only_a_running_trial_of_a_known_account_can_be_extended()
    {
        Account(SubscriptionStatus.Active);

        var active = await Handler().Handle(new ExtendTrial("u1", 7, "admin-1"), default);
        var unknown = await Handler().Handle(new ExtendTrial("nobody", 7, "admin-1"), default);

        Assert.That(active.Error!.Code, Is.EqualTo("not_trialing"));
        Assert.That(unknown.Error!.Code, Is.EqualTo("account_not_found"));
        _gateway.VerifyNoOtherCalls();
    }
}
