using System.Text.Json.Nodes;
using Billing.Application.Common;
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
        _stored = [];
        _store.Setup(s => s.AcceptAsync(It.IsAny<IReadOnlyList<UsageEvent>>(), Now, It.IsAny<CancellationToken>()))
            .ReturnsAsync((IReadOnlyList<UsageEvent> events, DateTimeOffset _, CancellationToken _) =>
            {
                var fresh = events.Where(e => e.TransactionId != "tx_seen_before").ToList();
                _stored.AddRange(fresh);
                return fresh.Select(e => e.TransactionId).ToHashSet();
            });
    }

    private RecordUsageHandler Handler() => new(_ledger.Object, _accounts.Object, _store.Object, _signal.Object, new BillingMetrics(), new FakeTimeProvider(Now));

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
}
