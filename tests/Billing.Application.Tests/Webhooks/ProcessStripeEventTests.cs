using Billing.Application.Common;
using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Messages;
using Billing.Application.Webhooks.Process;
using Mediator;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Webhooks;

/// <summary>Processing one stored Stripe event: read into its typed message, routed to the handler of its kind, completed.</summary>
public sealed class ProcessStripeEventTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<IWebhookInbox> _inbox = null!;
    private Mock<IStripeEventReader> _reader = null!;
    private Mock<ISender> _sender = null!;

    [SetUp]
    public void FreshMocks()
    {
        _inbox = new Mock<IWebhookInbox>();
        _reader = new Mock<IStripeEventReader>();
        _sender = new Mock<ISender>();
    }

    private ProcessStripeEventHandler Handler() => new(new ClaimedEventApplier(_inbox.Object, _reader.Object, _sender.Object, new FakeTimeProvider(Now), new BillingMetrics()));

    private static readonly StripeEventMessage Message = new SubscriptionChanged("evt_1", Now, "sub_1", "cus_1", SubscriptionChange.Updated, null);

    private void Claimed(Result<StripeEventMessage> read)
    {
        _inbox.Setup(i => i.FindClaimedAsync("evt_1", "w1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new InboxEntry("evt_1", "customer.subscription.updated", "{}", InboxStatus.Pending, 1, Now, Now.AddSeconds(-2), null, null, null));
        _reader.Setup(r => r.Read("{}")).Returns(read);
    }

    private void Answers(Result<string> outcome) =>
        _sender.Setup(s => s.Send(It.IsAny<IRequest<Result<string>>>(), It.IsAny<CancellationToken>())).ReturnsAsync(outcome);

    private void VerifyNotCompleted() =>
        _inbox.Verify(i => i.CompleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);

    [Test]
    public async Task An_event_this_worker_no_longer_holds_changes_nothing_and_is_no_failure()
    {
        var result = await Handler().Handle(new ProcessStripeEvent("evt_1", "w1"), default);

        Assert.That(result.IsSuccess, Is.True);
        _sender.VerifyNoOtherCalls();
        VerifyNotCompleted();
    }

    [Test]
    public async Task The_typed_message_goes_to_the_handler_of_its_kind_and_the_event_completes_with_its_outcome()
    {
        Claimed(Message);
        Answers("Account u1 is now professional / Active from sub_1.");

        var result = await Handler().Handle(new ProcessStripeEvent("evt_1", "w1"), default);

        Assert.That(result.Value, Does.Contain("professional"));
        _sender.Verify(s => s.Send(It.Is<IRequest<Result<string>>>(m => ReferenceEquals(m, Message)), It.IsAny<CancellationToken>()), Times.Once);
        _inbox.Verify(i => i.CompleteAsync("evt_1", "w1", It.Is<string>(o => o.Contains("professional", StringComparison.Ordinal)), Now, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task A_handler_that_fails_leaves_the_event_pending_for_a_retry()
    {
        Claimed(Message);
        Answers(new Error(ErrorKind.UpstreamUnavailable, "stripe_unavailable", "down"));

        var result = await Handler().Handle(new ProcessStripeEvent("evt_1", "w1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("stripe_unavailable"));
        VerifyNotCompleted();
    }

    [Test]
    public async Task An_event_that_cannot_be_read_is_a_failure_and_reaches_no_handler()
    {
        Claimed(Error.Invalid("type", "event_type_unhandled", "not acted on"));

        var result = await Handler().Handle(new ProcessStripeEvent("evt_1", "w1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("event_type_unhandled"));
        _sender.VerifyNoOtherCalls();
        VerifyNotCompleted();
    }
}
