using System.Text.Json.Nodes;
using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Billing.Application.Ports;
using Billing.Application.Usage;
using Billing.Application.Usage.Record;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Usage;

/// <summary>Accepting usage: each event once by its transaction id, bound to the user's live subscription, the rest of a batch kept when one is refused.</summary>
public sealed class RecordUsageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<IUsageLedger> _ledger = null!;
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<IUsageEventStore> _store = null!;
    private Mock<IUsageSignal> _signal = null!;
    private Mock<IOrganizationDirectory> _organizations = null!;
    private bool _teamsBilled;
    private List<UsageEvent> _stored = null!;

    [SetUp]
    public void FreshMocks()
    {
        _ledger = new Mock<IUsageLedger>();
        _ledger.SetupGet(l => l.Enabled).Returns(true);
        _accounts = new Mock<IBillingAccountRepository>();
        _accounts.Setup(a => a.LiveSubscriptionsAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Dictionary<string, string> { ["u1"] = "sub_1" });
        _store = new Mock<IUsageEventStore>();
        _signal = new Mock<IUsageSignal>();
        _organizations = new Mock<IOrganizationDirectory>();
        _organizations.Setup(o => o.OrganizationsOfAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(Result<IReadOnlyList<OrganizationSummary>>.Success([]));
        _teamsBilled = false;
        _stored = [];
        _store.Setup(s => s.AcceptAsync(It.IsAny<IReadOnlyList<UsageEvent>>(), Now, It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyList<UsageEvent> events, DateTimeOffset _, CancellationToken _) =>
            {
                var fresh = events.Where(e => e.TransactionId != "tx_seen_before").ToList();
                _stored.AddRange(fresh);
                return fresh.Select(e => e.TransactionId).ToHashSet();
            });
    }

    private RecordUsageHandler Handler()
    {
        var options = TestCatalog.Options();
        options.Value.Organizations.Enabled = _teamsBilled;
        var access = new Billing.Application.Organizations.MemberAccess(new Mock<IIdentityDirectory>().Object, _organizations.Object, _accounts.Object, TestCatalog.TeamSeats(_organizations.Object, options), TestCatalog.Create(), new FakeTimeProvider(Now), options);
        return new(_ledger.Object, _accounts.Object, _store.Object, _signal.Object, access, new BillingMetrics(), new FakeTimeProvider(Now));
    }

    private static UsageEventInput Event(string tx, string user = "u1", DateTimeOffset? at = null) =>
        new(tx, user, "api_calls", at, new JsonObject { ["count"] = 3 });

    [Test]
    public async Task Each_event_is_answered_in_order_stored_once_bound_to_the_subscription_and_the_relay_woken()
    {
        var receipt = (await Handler().Handle(new RecordUsage([Event("tx_1", at: Now.AddMinutes(-1)), Event("tx_1"), Event("tx_2"), Event("tx_3", user: "u2"), Event("tx_seen_before")]), default)).Value;

        Assert.That(receipt.Events.Select(e => (e.TransactionId, e.Status)), Is.EqualTo(new[]
        {
            ("tx_1", "accepted"), ("tx_1", "duplicate"), ("tx_2", "accepted"), ("tx_3", "rejected"), ("tx_seen_before", "duplicate"),
        }));
        Assert.That(receipt.Events[3].Code, Is.EqualTo("no_live_subscription"));
        Assert.That((receipt.Accepted, receipt.Duplicates, receipt.Rejected), Is.EqualTo((2, 2, 1)));
        Assert.That(_stored.Select(e => (e.TransactionId, e.SubscriptionId)), Is.EqualTo(new[] { ("tx_1", "sub_1"), ("tx_2", "sub_1") }));
        Assert.That(_stored[0].Timestamp, Is.EqualTo(Now.AddMinutes(-1)));
        Assert.That(_stored[1].Timestamp, Is.EqualTo(Now), "an event without a time is stamped when accepted");
        Assert.That(_stored[0].Properties, Is.EqualTo("{\"count\":3}"));
        _signal.Verify(s => s.Notify(), Times.Once);
    }

    [Test]
    public async Task A_batch_with_nothing_new_wakes_nobody()
    {
        var receipt = (await Handler().Handle(new RecordUsage([Event("tx_seen_before"), Event("tx_9", user: "u2")]), default)).Value;

        Assert.That((receipt.Accepted, receipt.Duplicates, receipt.Rejected), Is.EqualTo((0, 1, 1)));
        _signal.Verify(s => s.Notify(), Times.Never);
    }

    [Test]
    public async Task Without_Lago_configured_nothing_is_accepted_that_could_never_be_delivered()
    {
        _ledger.SetupGet(l => l.Enabled).Returns(false);

        var result = await Handler().Handle(new RecordUsage([Event("tx_1")]), default);

        Assert.That(result.Error!.Code, Is.EqualTo("usage_ledger_not_configured"));
        _store.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_member_without_a_subscription_of_their_own_is_billed_to_the_team_that_gives_their_access()
    {
        _teamsBilled = true;
        var team = BillingAccount.Open("org:acme", string.Empty, Now.AddDays(-5));
        team.LinkStripeCustomer("cus_acme", Now.AddDays(-5));
        team.ApplySubscription(new SubscriptionSnapshot("sub_acme", "cus_acme", SubscriptionStatus.Active, Tier.Professional, BillingCycle.Monthly, Now.AddDays(-5), Now.AddDays(25), false, 4900, "usd", Seats: 3), Now.AddDays(-5));
        _accounts.Setup(a => a.FindAsync("org:acme", It.IsAny<CancellationToken>())).ReturnsAsync(team);
        _organizations.Setup(o => o.OrganizationsOfAsync("member", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<OrganizationSummary>>.Success([new OrganizationSummary("acme", "Acme")]));

        var receipt = (await Handler().Handle(new RecordUsage([Event("tx_own"), Event("tx_team", user: "member"), Event("tx_none", user: "loner")]), default)).Value;

        Assert.That(receipt.Events.Select(e => e.Status), Is.EqualTo(new[] { "accepted", "accepted", "rejected" }));
        Assert.That(_stored.Select(e => (e.UserId, e.SubscriptionId)), Is.EqualTo(new[] { ("u1", "sub_1"), ("member", "sub_acme") }));
    }

    [Test]
    public async Task When_keycloak_cannot_say_which_team_pays_the_batch_is_refused_whole_to_be_sent_again()
    {
        _teamsBilled = true;
        _organizations.Setup(o => o.OrganizationsOfAsync("member", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<OrganizationSummary>>.Failure(new Error(ErrorKind.UpstreamUnavailable, "keycloak_unreachable", "Keycloak could not be reached.")));

        var result = await Handler().Handle(new RecordUsage([Event("tx_own"), Event("tx_team", user: "member")]), default);

        Assert.That(result.Error!.Code, Is.EqualTo("keycloak_unreachable"));
        Assert.That(_stored, Is.Empty);
    }
}
