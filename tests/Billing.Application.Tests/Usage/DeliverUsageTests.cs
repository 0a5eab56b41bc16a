using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Application.Usage;
using Billing.Application.Usage.Deliver;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Usage;

/// <summary>Delivering usage to Lago: what Lago took or already had is complete, what it refuses is parked with its reason, an outage leaves the batch to retry.</summary>
public sealed class DeliverUsageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static ClaimedUsageEvent Claimed(long id, string tx) =>
        new(id, 0, Now.AddMinutes(-1), new UsageEvent(tx, "u1", "sub_1", "api_calls", Now.AddMinutes(-1), "{}"));

    [Test]
    public async Task Delivered_and_already_delivered_events_are_completed_and_refused_ones_parked_with_Lagos_reason()
    {
        var ledger = new Mock<IUsageLedger>();
        var store = new Mock<IUsageEventStore>();
        ledger.Setup(l => l.SendEventsAsync(It.Is<IReadOnlyList<UsageEvent>>(e => e.Count == 3), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<UsageDelivery>.Success(new UsageDelivery(["tx_1"], ["tx_2"], new Dictionary<string, string> { ["tx_3"] = "code does not exist" })));

        var result = await new DeliverUsageHandler(ledger.Object, store.Object, new BillingMetrics(), new FakeTimeProvider(Now)).Handle(new DeliverUsage([Claimed(1, "tx_1"), Claimed(2, "tx_2"), Claimed(3, "tx_3")], "worker-1"), default);

        Assert.That(result.Value, Is.EqualTo("1 delivered, 1 already in Lago, 1 refused by Lago."));
        store.Verify(s => s.CompleteAsync(It.Is<IReadOnlyCollection<string>>(t => t.SequenceEqual(new[] { "tx_1", "tx_2" })), "worker-1", Now, It.IsAny<CancellationToken>()), Times.Once);
        store.Verify(s => s.ParkAsync(It.Is<IReadOnlyDictionary<string, string>>(r => r["tx_3"] == "code does not exist"), "worker-1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task An_outage_completes_nothing_and_answers_the_failure_for_a_retry()
    {
        var ledger = new Mock<IUsageLedger>();
        var store = new Mock<IUsageEventStore>();
        ledger.Setup(l => l.SendEventsAsync(It.IsAny<IReadOnlyList<UsageEvent>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<UsageDelivery>.Failure(new Error(ErrorKind.UpstreamUnavailable, "lago_unavailable", "Lago answered 503.")));

        var result = await new DeliverUsageHandler(ledger.Object, store.Object, new BillingMetrics(), new FakeTimeProvider(Now)).Handle(new DeliverUsage([Claimed(1, "tx_1")], "worker-1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("lago_unavailable"));
        store.VerifyNoOtherCalls();
    }
}
