using Billing.Application.AccountSync.Deliver;
using Billing.Application.Common;
using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.AccountSync;

/// <summary>Delivering one sync message: the account as it is now goes out, and the outbox records the answer.</summary>
public sealed class DeliverAccountSyncTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<ISyncOutbox> _outbox = null!;
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<IIdentityDirectory> _identity = null!;
    private Mock<IUsageLedger> _ledger = null!;

    [SetUp]
    public void FreshMocks()
    {
        _outbox = new Mock<ISyncOutbox>();
        _accounts = new Mock<IBillingAccountRepository>();
        _identity = new Mock<IIdentityDirectory>();
        _ledger = new Mock<IUsageLedger>();
        _ledger.SetupGet(l => l.Enabled).Returns(true);
    }

    private DeliverAccountSyncHandler Handler(DateTimeOffset? now = null) =>
        new(_outbox.Object, _accounts.Object, _identity.Object, _ledger.Object, new Billing.Application.Organizations.MemberAccess(_identity.Object, new Mock<IOrganizationDirectory>(MockBehavior.Strict).Object, _accounts.Object, TestCatalog.TeamSeats(new Mock<IOrganizationDirectory>(MockBehavior.Strict).Object, TestCatalog.Options()), TestCatalog.Create(), new FakeTimeProvider(now ?? Now), TestCatalog.Options()), new FakeTimeProvider(now ?? Now), TestCatalog.Options(), new BillingMetrics());

    private void Claimed(Guid id, SyncTarget target, string userId = "u1") =>
        _outbox.Setup(o => o.FindClaimedAsync(id, "w1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OutboxEntry(id, userId, target, SyncStatus.Pending, 1, 1, Now.AddMinutes(-1), Now, null, null, null));

    private BillingAccount PastDueAccount(DateTimeOffset since)
    {
        var account = BillingAccount.Open("u1", "u1@example.com", since.AddDays(-30));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.PastDue, Tier.Professional, BillingCycle.Monthly, since, since.AddMonths(1), false, 4900, "usd"), since);
        _accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    [Test]
    public async Task Keycloak_gets_the_tier_that_gates_access_now_not_the_one_of_the_subscription()
    {
        var id = Guid.NewGuid();
        Claimed(id, SyncTarget.IdentityDirectory);
        PastDueAccount(Now.AddDays(-4));
        AccountState? sent = null;
        _identity.Setup(i => i.PublishAsync(It.IsAny<AccountState>(), It.IsAny<CancellationToken>()))
            .Callback<AccountState, CancellationToken>((s, _) => sent = s).ReturnsAsync(Result<string>.Success("ok"));

        var result = await Handler().Handle(new DeliverAccountSync(id, "w1"), default);

        Assert.That(result.IsSuccess, Is.True);
        Assert.That(sent!.Tier, Is.EqualTo("trial"), "the three-day grace period is over");
        Assert.That(sent.Status, Is.EqualTo("past_due"));
        _outbox.Verify(o => o.CompleteAsync(id, "w1", "ok", Now, It.IsAny<CancellationToken>()), Times.Once);
        _ledger.Verify(l => l.PublishAsync(It.IsAny<AccountState>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Lago_gets_the_name_Keycloak_holds()
    {
        var id = Guid.NewGuid();
        Claimed(id, SyncTarget.UsageLedger);
        PastDueAccount(Now.AddDays(-1));
        _identity.Setup(i => i.FindNameAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<string?>.Success("Ada Lovelace"));
        AccountState? sent = null;
        _ledger.Setup(l => l.PublishAsync(It.IsAny<AccountState>(), It.IsAny<CancellationToken>()))
            .Callback<AccountState, CancellationToken>((s, _) => sent = s).ReturnsAsync(Result<string>.Success("ok"));

        await Handler().Handle(new DeliverAccountSync(id, "w1"), default);

        Assert.That(sent!.Name, Is.EqualTo("Ada Lovelace"));
        Assert.That(sent.Tier, Is.EqualTo("professional"), "still within the grace period");
    }

    [Test]
    public async Task Keycloak_out_of_reach_fails_the_Lago_delivery_for_a_retry_rather_than_naming_the_customer_wrongly()
    {
        var id = Guid.NewGuid();
        Claimed(id, SyncTarget.UsageLedger);
        PastDueAccount(Now.AddDays(-1));
        _identity.Setup(i => i.FindNameAsync("u1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<string?>.Failure(new Error(ErrorKind.UpstreamUnavailable, "keycloak_unreachable", "down")));

        var result = await Handler().Handle(new DeliverAccountSync(id, "w1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("keycloak_unreachable"));
        Assert.That(DeliveryFailures.IsPermanent(result.Error), Is.False);
        _ledger.Verify(l => l.PublishAsync(It.IsAny<AccountState>(), It.IsAny<CancellationToken>()), Times.Never);
        _outbox.Verify(o => o.CompleteAsync(It.IsAny<Guid>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task A_refusal_retrying_cannot_fix_is_permanent_and_an_outage_is_not()
    {
        Assert.That(DeliveryFailures.IsPermanent(Error.NotFound("keycloak_user_missing", "x")), Is.True);
        Assert.That(DeliveryFailures.IsPermanent(new Error(ErrorKind.NotConfigured, "keycloak_attributes_undeclared", "x")), Is.True);
        Assert.That(DeliveryFailures.IsPermanent(new Error(ErrorKind.UpstreamUnavailable, "lago_unavailable", "x")), Is.False);
        await Task.CompletedTask;
    }

    [Test]
    public async Task A_message_no_longer_claimed_by_this_worker_is_left_alone()
    {
        var result = await Handler().Handle(new DeliverAccountSync(Guid.NewGuid(), "w1"), default);

        Assert.That(result.IsSuccess, Is.True);
        _identity.VerifyNoOtherCalls();
        _accounts.VerifyNoOtherCalls();
    }
}
