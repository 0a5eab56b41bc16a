using Billing.Application.Admin.Accounts;
using Billing.Application.Admin.Audit;
using Billing.Application.Admin.Disputes;
using Billing.Application.Admin.LastReconciliation;
using Billing.Application.Admin.Reconcile;
using Billing.Application.Common.Audit;
using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Disputes;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Admin;

/// <summary>What administrators read: an account with its deliveries and disputes, the audit trail, disputes, the last reconciliation.</summary>
public sealed class AdminReadsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<ISyncOutbox> _outbox = null!;
    private Mock<IAccountHistory> _history = null!;
    private Mock<IDisputeBook> _disputes = null!;

    [SetUp]
    public void FreshMocks()
    {
        _accounts = new Mock<IBillingAccountRepository>();
        _outbox = new Mock<ISyncOutbox>();
        _history = new Mock<IAccountHistory>();
        _disputes = new Mock<IDisputeBook>();
    }

    private GetAccountHandler AccountHandler() =>
        new(_accounts.Object, _outbox.Object, _history.Object, _disputes.Object, new FakeTimeProvider(Now), TestCatalog.Options());

    private static OutboxEntry Message(SyncTarget target, SyncStatus status, DateTimeOffset? deliveredAt, string? error = null) =>
        new(Guid.NewGuid(), "u1", target, status, 3, 1, Now.AddHours(-2), Now.AddHours(-1), deliveredAt, deliveredAt is null ? null : "ok", error);

    private static PaymentDispute Dispute(string id, DateTimeOffset created) =>
        PaymentDispute.Open(new DisputeFacts(id, 1900, "usd", "fraudulent", DisputeStatus.NeedsResponse, "pi_1", Now.AddDays(7), created), "u1", "in_1");

    [Test]
    public async Task An_account_shows_its_last_delivery_per_target_its_history_and_its_disputes_newest_first()
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-3));
        _accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        var older = Message(SyncTarget.IdentityDirectory, SyncStatus.Delivered, Now.AddHours(-3));
        var newer = Message(SyncTarget.IdentityDirectory, SyncStatus.Delivered, Now.AddHours(-1));
        var parked = Message(SyncTarget.UsageLedger, SyncStatus.Parked, null, "Lago refused");
        var waiting = Message(SyncTarget.Notification, SyncStatus.Pending, null);
        _outbox.Setup(o => o.ListAsync(null, "u1", 50, It.IsAny<CancellationToken>())).ReturnsAsync([older, newer, parked, waiting]);
        _history.Setup(h => h.ListAsync("u1", 50, It.IsAny<CancellationToken>())).ReturnsAsync([AccountHistoryEntry.Record("u1", Now.AddDays(-1), "refund", "refunded")]);
        _disputes.Setup(d => d.ForUserAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync([Dispute("dp_old", Now.AddDays(-5)), Dispute("dp_new", Now.AddDays(-1))]);

        var view = (await AccountHandler().Handle(new GetAccount("u1"), default)).Value;

        Assert.That(view.Outbox, Has.Count.EqualTo(4));
        Assert.That(view.LastSyncResults.Keys, Is.EquivalentTo(new[] { "keycloak", "lago" }), "a message still waiting has no result yet");
        Assert.That(view.LastSyncResults["keycloak"].Id, Is.EqualTo(newer.Id));
        Assert.That(view.LastSyncResults["lago"].Status, Is.EqualTo("parked"));
        Assert.That(view.History.Single().Kind, Is.EqualTo("refund"));
        Assert.That(view.Disputes.Select(d => d.Id), Is.EqualTo(new[] { "dp_new", "dp_old" }));
        Assert.That(view.Subscription.Status, Is.EqualTo("none"));
    }

    [Test]
    public async Task An_unknown_account_is_not_found_and_nothing_else_is_read()
    {
        var result = await AccountHandler().Handle(new GetAccount("nobody"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("account_not_found"));
        _outbox.VerifyNoOtherCalls();
        _disputes.VerifyNoOtherCalls();
    }

    [Test]
    public async Task The_audit_trail_is_read_with_the_filters_given()
    {
        var trail = new Mock<IAuditTrail>();
        var entry = new AuditEntry(1, Now, "admin-1", "RefundInvoice", "invoice in_1", "ok");
        trail.Setup(t => t.ListAsync("admin-1", "invoice in_1", 20, It.IsAny<CancellationToken>())).ReturnsAsync([entry]);

        var result = await new ListAuditEntriesHandler(trail.Object).Handle(new ListAuditEntries("admin-1", "invoice in_1", 20), default);

        Assert.That(result.Value, Is.EqualTo(new[] { entry }));
    }

    [TestCase("open", true)]
    [TestCase("closed", false)]
    [TestCase("all", null)]
    [TestCase(null, null)]
    public async Task Disputes_are_listed_by_whether_they_are_open(string? status, bool? open)
    {
        _disputes.Setup(d => d.ListAsync(open, 10, It.IsAny<CancellationToken>())).ReturnsAsync([Dispute("dp_1", Now)]);

        var result = await new ListDisputesHandler(_disputes.Object).Handle(new ListDisputes(status, 10), default);

        Assert.That(result.Value.Single().Id, Is.EqualTo("dp_1"));
        Assert.That(result.Value.Single().Open, Is.True);
    }

    [Test]
    public async Task The_last_reconciliation_is_answered_or_not_found_before_the_first()
    {
        var log = new Mock<IReconciliationLog>();
        var none = await new GetLastReconciliationHandler(log.Object).Handle(new GetLastReconciliation(), default);
        var report = new ReconciliationReport("schedule", false, null, Now, Now, 3, 3, 0, []);
        log.Setup(l => l.LastAsync(It.IsAny<CancellationToken>())).ReturnsAsync(report);

        var last = await new GetLastReconciliationHandler(log.Object).Handle(new GetLastReconciliation(), default);

        Assert.That(none.Error!.Code, Is.EqualTo("no_reconciliation"));
        Assert.That(last.Value, Is.SameAs(report));
    }
}
