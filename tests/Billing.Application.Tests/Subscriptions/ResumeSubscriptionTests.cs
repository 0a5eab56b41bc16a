using Billing.Application.Accounts;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Application.Subscriptions.Resume;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Subscriptions;

/// <summary>Resuming: a scheduled cancellation lifted, a paused subscription resumed, anything else nothing to resume.</summary>
public sealed class ResumeSubscriptionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<ISubscriptionGateway> _gateway = null!;

    [SetUp]
    public void FreshMocks()
    {
        _accounts = new Mock<IBillingAccountRepository>();
        _gateway = new Mock<ISubscriptionGateway>();
    }

    private ResumeSubscriptionHandler Handler() =>
        new(_accounts.Object, _gateway.Object, new SubscriptionChanges(new SubscriptionTranslator(TestCatalog.Create()), new FakeTimeProvider(Now), TestCatalog.Options()));

    private BillingAccount Account(SubscriptionStatus status, bool cancelAtPeriodEnd)
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-10));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-10));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", status, Tier.Starter, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), cancelAtPeriodEnd, 1900, "usd"), Now.AddDays(-1));
        _accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    private static GatewaySubscription Stripe(string status, bool cancelAtPeriodEnd, string? changedBy = null) =>
        new("sub_1", "cus_1", status, Now.AddDays(-10), "si_1", "price_1", null, "billing_starter", "starter", BillingCycle.Monthly, null, 1900, "usd", Now.AddDays(-10), Now.AddDays(20), cancelAtPeriodEnd,
            changedBy is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [SubscriptionChangeRequest.MetadataKey] = changedBy });

    [Test]
    public async Task A_cancellation_scheduled_for_the_period_end_is_lifted()
    {
        var account = Account(SubscriptionStatus.Active, cancelAtPeriodEnd: true);
        _gateway.Setup(g => g.KeepSubscriptionAsync("sub_1", "billing-resume-u1-key-1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Stripe("active", false)));

        var result = await Handler().Handle(new ResumeSubscription("u1", "key-1"), default);

        Assert.That(result.Value.CancelAtPeriodEnd, Is.False);
        Assert.That(account.CancelAtPeriodEnd, Is.False);
    }

    [Test]
    public async Task A_paused_subscription_is_resumed_in_Stripe()
    {
        Account(SubscriptionStatus.Paused, cancelAtPeriodEnd: false);
        _gateway.Setup(g => g.ResumePausedSubscriptionAsync("sub_1", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Stripe("active", false)));

        var result = await Handler().Handle(new ResumeSubscription("u1", "key-1"), default);

        Assert.That(result.Value.Status, Is.EqualTo("active"));
        _gateway.Verify(g => g.KeepSubscriptionAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Nothing_to_resume_is_a_conflict_unless_this_very_request_already_resumed_it()
    {
        Account(SubscriptionStatus.Active, cancelAtPeriodEnd: false);
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Stripe("active", false, changedBy: "billing-resume-u1-key-1")));
        var again = await Handler().Handle(new ResumeSubscription("u1", "key-1"), default);
        var other = await Handler().Handle(new ResumeSubscription("u1", "key-2"), default);

        Assert.That(again.IsSuccess, Is.True, "run again after a concurrent change, it answers the state it made");
        Assert.That(other.Error!.Code, Is.EqualTo("nothing_to_resume"));
        _gateway.Verify(g => g.KeepSubscriptionAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Run_again_after_Stripes_own_event_of_its_resumption_saved_the_account_it_answers_what_it_did_and_asks_nothing_more()
    {
        var account = Account(SubscriptionStatus.Paused, cancelAtPeriodEnd: false);
        _gateway.Setup(g => g.ResumePausedSubscriptionAsync("sub_1", "billing-resume-u1-key-1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Stripe("active", false)));
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Stripe("active", false)));
        var handler = Handler();

        var first = await handler.Handle(new ResumeSubscription("u1", "key-1"), default);
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, null, null, false, 1900, "usd"), DateTimeOffset.UtcNow.AddDays(1));
        var again = await handler.Handle(new ResumeSubscription("u1", "key-1"), default);
        var fresh = await Handler().Handle(new ResumeSubscription("u1", "key-2"), default);

        Assert.That((first.IsSuccess, again.IsSuccess), Is.EqualTo((true, true)));
        Assert.That(fresh.Error!.Code, Is.EqualTo("nothing_to_resume"), "another request on the now active subscription has nothing to resume");
        _gateway.Verify(g => g.ResumePausedSubscriptionAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task Without_a_live_subscription_it_is_not_found_and_Stripe_is_not_asked()
    {
        var result = await Handler().Handle(new ResumeSubscription("nobody", "key-1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("subscription_not_found"));
        _gateway.VerifyNoOtherCalls();
    }
}
