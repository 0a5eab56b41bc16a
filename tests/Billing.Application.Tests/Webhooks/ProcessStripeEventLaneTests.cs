using Billing.Application.Common;
using Billing.Application.Common.Messaging;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Application.Webhooks.Messages;
using Billing.Application.Webhooks.Process;
using Mediator;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Webhooks;

/// <summary>A lane's events applied together: in order, each completed, or the first failure and nothing after it.</summary>
public sealed class ProcessStripeEventLaneTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private Mock<IWebhookInbox> _inbox = null!;
    private Mock<IStripeEventReader> _reader = null!;
    private Mock<ISender> _sender = null!;
    private List<string> _applied = null!;

    [SetUp]
    public void FreshMocks()
    {
        _inbox = new Mock<IWebhookInbox>();
        _reader = new Mock<IStripeEventReader>();
        _sender = new Mock<ISender>();
        _applied = [];
    }

    private ProcessStripeEventLaneHandler Handler() => new(_inbox.Object, new ClaimedEventApplier(_inbox.Object, _reader.Object, _sender.Object, new FakeTimeProvider(Now), new BillingMetrics()));

    private void Claimed(string id, Result<string> outcome)
    {
        _inbox.Setup(i => i.FindClaimedAsync(id, "w1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new InboxEntry(id, "customer.subscription.updated", id, InboxStatus.Pending, 1, Now, Now, null, null, null));
        var message = new SubscriptionChanged(id, Now, "sub_1", "cus_1", SubscriptionChange.Updated, null);
        _reader.Setup(r => r.Read(id)).Returns(message);
        _sender.Setup(s => s.Send(It.Is<IRequest<Result<string>>>(m => ((StripeEventMessage)m).EventId == id), It.IsAny<CancellationToken>()))
            .Callback(() => _applied.Add(id))
            .ReturnsAsync(outcome);
    }

    [Test]
    public async Task The_events_of_a_lane_are_applied_in_the_order_given_and_each_is_completed()
    {
        Claimed("evt_1", "Applied.");
        Claimed("evt_2", "Older than the account's state; nothing changed.");

        var result = await Handler().Handle(new ProcessStripeEventLane(["evt_1", "evt_2"], "w1"), default);

        Assert.That(result.IsSuccess, Is.True);
        Assert.That(_applied, Is.EqualTo(new[] { "evt_1", "evt_2" }));
        _inbox.Verify(i => i.CompleteAsync("evt_1", "w1", "Applied.", Now, It.IsAny<CancellationToken>()), Times.Once);
        _inbox.Verify(i => i.CompleteAsync("evt_2", "w1", "Older than the account's state; nothing changed.", Now, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task A_failing_event_fails_the_lane_and_nothing_after_it_is_applied()
    {
        Claimed("evt_1", "Applied.");
        Claimed("evt_2", new Error(ErrorKind.UpstreamUnavailable, "stripe_unavailable", "Stripe did not answer."));
        Claimed("evt_3", "Applied.");

        var result = await Handler().Handle(new ProcessStripeEventLane(["evt_1", "evt_2", "evt_3"], "w1"), default);

        Assert.That(result.IsSuccess, Is.False);
        Assert.That(result.Error!.Code, Is.EqualTo("stripe_unavailable"));
        Assert.That(_applied, Is.EqualTo(new[] { "evt_1", "evt_2" }));
        _inbox.Verify(i => i.CompleteAsync("evt_2", It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task An_event_another_worker_took_over_is_skipped_without_failing_the_lane()
    {
        Claimed("evt_1", "Applied.");

        var result = await Handler().Handle(new ProcessStripeEventLane(["evt_gone", "evt_1"], "w1"), default);

        Assert.That(result.IsSuccess, Is.True);
        Assert.That(_applied, Is.EqualTo(new[] { "evt_1" }));
    }
}
