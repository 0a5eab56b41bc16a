using Billing.Application.Accounts;
using Billing.Application.Admin.Reconcile;
using Billing.Application.Common;
using Billing.Application.Common.Messaging;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Admin;

/// <summary>
/// Reconciliation: Stripe's lists matched to accounts (deleted customers confirmed, orphans by their metadata), each
/// account reconciled on its own, Stripe's differences applied as a webhook would, and Keycloak and Lago compared
/// only once Stripe and the store agree.
/// </summary>
public sealed class ReconciliationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<ICustomerGateway> _customers = null!;
    private Mock<ISubscriptionGateway> _subscriptions = null!;
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<IReconciliationLog> _log = null!;
    private Mock<ISeparateScopes> _scopes = null!;
    private Mock<IIdentityDirectory> _directory = null!;
    private Mock<IUsageLedger> _ledger = null!;
    private Mock<ISyncOutbox> _outbox = null!;
    private Mock<IAccountHistory> _history = null!;
    private List<ReconcileAccount> _reconciled = null!;

    [SetUp]
    public void FreshMocks()
    {
        _customers = new Mock<ICustomerGateway>();
        _subscriptions = new Mock<ISubscriptionGateway>();
        _accounts = new Mock<IBillingAccountRepository>();
        _log = new Mock<IReconciliationLog>();
        _scopes = new Mock<ISeparateScopes>();
        _directory = new Mock<IIdentityDirectory>();
        _ledger = new Mock<IUsageLedger>();
        _outbox = new Mock<ISyncOutbox>();
        _history = new Mock<IAccountHistory>();
        _reconciled = [];
        _scopes.Setup(s => s.SendAsync(It.IsAny<Mediator.ICommand<Result<IReadOnlyList<DriftFinding>>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Mediator.ICommand<Result<IReadOnlyList<DriftFinding>>> c, CancellationToken _) =>
            {
                var command = (ReconcileAccount)c;
                _reconciled.Add(command);
                return command.UserId == "broken"
                    ? Result<IReadOnlyList<DriftFinding>>.Failure(Error.Conflict("concurrent_change", "changed meanwhile"))
                    : Result<IReadOnlyList<DriftFinding>>.Success([]);
            });
        _outbox.Setup(o => o.ListAsync(SyncStatus.Pending, It.IsAny<string>(), 20, It.IsAny<CancellationToken>())).ReturnsAsync([]);
        _directory.Setup(d => d.CompareAsync(It.IsAny<AccountState>(), It.IsAny<CancellationToken>())).ReturnsAsync(Result<IReadOnlyList<SyncDrift>>.Success([]));
    }

    private RunReconciliationHandler Run() =>
        new(_customers.Object, _subscriptions.Object, _accounts.Object, _log.Object, _scopes.Object, new FakeTimeProvider(Now), NullLogger<RunReconciliationHandler>.Instance);

    private ReconcileAccountHandler Reconcile()
    {
        var translator = new SubscriptionTranslator(TestCatalog.Create());
        var applier = new StripeSubscriptionApplier(_accounts.Object, _subscriptions.Object, new SubscriptionReads(_subscriptions.Object, new FakeTimeProvider(Now), new BillingMetrics()), translator, new Mock<IInvoiceBook>().Object, _history.Object, NullLogger<StripeSubscriptionApplier>.Instance);
        var options = Options.Create(new BillingOptions());
        var seatPolicy = new Billing.Application.Organizations.SeatPolicy(new Mock<IOrganizationDirectory>(MockBehavior.Strict).Object, TestCatalog.Create(), options);
        var teamSeats = new Billing.Application.Organizations.TeamSeats(_subscriptions.Object, seatPolicy, new SubscriptionChanges(translator, new FakeTimeProvider(Now), options), options);
        return new ReconcileAccountHandler(_accounts.Object, applier, translator, new DeliveredStateCheck(_directory.Object, _ledger.Object, _outbox.Object, new Billing.Application.Organizations.MemberAccess(_directory.Object, new Mock<IOrganizationDirectory>(MockBehavior.Strict).Object, _accounts.Object, teamSeats, TestCatalog.Create(), new FakeTimeProvider(Now), Options.Create(new BillingOptions())), Options.Create(new BillingOptions())), _history.Object, seatPolicy, teamSeats, new FakeTimeProvider(Now));
    }

    private static GatewaySubscription Stripe(string id, string customer, string status = "active", string tier = "starter", string? owner = null) =>
        new(id, customer, status, Now.AddDays(-10), "si_1", $"price_{tier}", null, $"billing_{tier}", tier, BillingCycle.Monthly, null, 1900, "usd", Now.AddDays(-10), Now.AddDays(20), false,
            owner is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["keycloak_user_id"] = owner });

    private BillingAccount OnStarter(string user = "u1")
    {
        var account = BillingAccount.Open(user, $"{user}@example.com", Now.AddDays(-10));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-10));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), false, 1900, "usd"), Now.AddDays(-10));
        account.ClearPendingEvents();
        _accounts.Setup(a => a.FindAsync(user, It.IsAny<CancellationToken>())).ReturnsAsync(account);
        _accounts.Setup(a => a.FindByStripeCustomerAsync("cus_1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    [Test]
    public async Task A_full_run_matches_Stripes_lists_to_accounts_and_reconciles_each_in_its_own_scope()
    {
        _subscriptions.Setup(s => s.ListSubscriptionsAsync(null, It.IsAny<CancellationToken>())).ReturnsAsync(Result<IReadOnlyList<GatewaySubscription>>.Success(
        [
            Stripe("sub_1", "cus_1"),
            Stripe("sub_orphan", "cus_other", owner: "u3"),
            Stripe("sub_stranger", "cus_stranger"),
        ]));
        _customers.Setup(c => c.ListCustomerIdsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Result<IReadOnlySet<string>>.Success(new HashSet<string> { "cus_1", "cus_other" }));
        _customers.Setup(c => c.IsCustomerDeletedAsync("cus_gone", It.IsAny<CancellationToken>())).ReturnsAsync(Result<bool>.Success(true));
        _accounts.Setup(a => a.ListLinksAsync(It.IsAny<CancellationToken>())).ReturnsAsync([new AccountLink("u1", "cus_1"), new AccountLink("u2", "cus_gone"), new AccountLink("broken", null)]);
        ReconciliationReport? kept = null;
        _log.Setup(l => l.Add(It.IsAny<ReconciliationReport>())).Callback<ReconciliationReport>(r => kept = r);

        var report = (await Run().Handle(new RunReconciliation(null, false, "schedule"), default)).Value;

        Assert.That(_reconciled.Select(r => (r.UserId, r.CustomerDeleted, Subscriptions: string.Join(",", r.StripeSubscriptions.Select(s => s.Id)))), Is.EquivalentTo(new[]
        {
            ("u1", false, "sub_1"),
            ("u2", true, string.Empty),
            ("broken", false, string.Empty),
            ("u3", false, "sub_orphan"),
        }));
        Assert.That(report.Findings.Select(f => (f.UserId, f.Kind)), Is.EquivalentTo(new[] { ((string?)null, DriftKinds.UnknownSubscription), ("broken", DriftKinds.CheckFailed) }));
        Assert.That(report.AccountsChecked, Is.EqualTo(4));
        Assert.That(report.StripeSubscriptionsListed, Is.EqualTo(3));
        Assert.That(kept, Is.SameAs(report));
    }

    [Test]
    public async Task A_run_whose_Stripe_list_fails_reports_the_failure_and_keeps_no_report()
    {
        _subscriptions.Setup(s => s.ListSubscriptionsAsync(null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<GatewaySubscription>>.Failure(new Error(ErrorKind.UpstreamUnavailable, "stripe_unavailable", "Stripe is down.")));

        var result = await Run().Handle(new RunReconciliation(null, false, "schedule"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("stripe_unavailable"));
        _log.Verify(l => l.Add(It.IsAny<ReconciliationReport>()), Times.Never);
        Assert.That(_reconciled, Is.Empty);
    }

    [Test]
    public async Task One_account_is_read_by_its_own_customer_and_an_unknown_one_is_not_found()
    {
        OnStarter();
        _customers.Setup(c => c.IsCustomerDeletedAsync("cus_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<bool>.Success(false));
        _subscriptions.Setup(s => s.ListSubscriptionsAsync("cus_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<IReadOnlyList<GatewaySubscription>>.Success([Stripe("sub_1", "cus_1")]));

        var one = (await Run().Handle(new RunReconciliation("u1", true, "admin-1"), default)).Value;
        var unknown = await Run().Handle(new RunReconciliation("nobody", true, "admin-1"), default);

        Assert.That(one.AccountsChecked, Is.EqualTo(1));
        Assert.That(_reconciled.Single().DryRun, Is.True);
        Assert.That(unknown.Error!.Code, Is.EqualTo("account_not_found"));
    }

    [Test]
    public async Task A_customer_deleted_in_Stripe_is_let_go_of_unless_it_is_a_dry_run()
    {
        var account = OnStarter();

        var dry = (await Reconcile().Handle(new ReconcileAccount("u1", [], CustomerDeleted: true, DryRun: true), default)).Value;
        Assert.That(account.StripeCustomerId, Is.EqualTo("cus_1"));
        var repaired = (await Reconcile().Handle(new ReconcileAccount("u1", [], CustomerDeleted: true, DryRun: false), default)).Value;

        Assert.That(dry.Single().Repaired, Is.False);
        Assert.That(repaired.Single().Kind, Is.EqualTo(DriftKinds.DeletedCustomer));
        Assert.That(repaired.Single().Repaired, Is.True);
        Assert.That(account.StripeCustomerId, Is.Null);
        _history.Verify(h => h.Add(It.Is<AccountHistoryEntry>(e => e.Kind == "customer_deleted")), Times.Once);
    }

    [Test]
    public async Task A_tier_Stripe_holds_otherwise_is_applied_as_a_webhook_would_and_Keycloak_is_not_compared_yet()
    {
        var account = OnStarter();
        var professional = Stripe("sub_1", "cus_1", tier: "professional");
        _subscriptions.Setup(s => s.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(professional));

        var findings = (await Reconcile().Handle(new ReconcileAccount("u1", [professional], false, false), default)).Value;

        Assert.That(findings.Single().Kind, Is.EqualTo(DriftKinds.Tier));
        Assert.That(findings.Single().Repaired, Is.True);
        Assert.That(account.Tier, Is.EqualTo(Tier.Professional));
        _directory.Verify(d => d.CompareAsync(It.IsAny<AccountState>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task When_Stripe_and_the_store_agree_Keycloaks_drift_is_found_and_sent_again()
    {
        var account = OnStarter();
        _directory.Setup(d => d.CompareAsync(It.IsAny<AccountState>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<SyncDrift>>.Success([new SyncDrift("attribute", "subscription_tier is trial in Keycloak")]));

        var findings = (await Reconcile().Handle(new ReconcileAccount("u1", [Stripe("sub_1", "cus_1")], false, false), default)).Value;

        Assert.That(findings.Single().Detail, Does.Contain("subscription_tier"));
        Assert.That(findings.Single().Repaired, Is.True);
        _outbox.Verify(o => o.Resend(account, SyncTarget.IdentityDirectory), Times.Once);
    }

    [Test]
    public async Task A_live_subscription_Stripe_does_not_list_is_reported_for_a_person_to_look_into()
    {
        OnStarter();

        var findings = (await Reconcile().Handle(new ReconcileAccount("u1", [], false, false), default)).Value;

        Assert.That(findings.Single().Kind, Is.EqualTo(DriftKinds.MissingSubscription));
        Assert.That(findings.Single().Repaired, Is.False);
    }
}
