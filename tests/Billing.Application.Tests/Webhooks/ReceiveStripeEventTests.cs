using Billing.Application.Common;
using Billing.Application.Common.Messaging;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Application.Webhooks.Messages;
using Billing.Application.Webhooks.Receive;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Webhooks;

/// <summary>Receiving a webhook: verified, stored once in the customer's lane, the worker woken; a forgery stores nothing.</summary>
public sealed class ReceiveStripeEventTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<IStripeEventReader> _reader = null!;
    private Mock<IWebhookInbox> _inbox = null!;
    private Mock<IInboxSignal> _signal = null!;
    private NewInboxEvent? _stored;

    [SetUp]
    public void FreshMocks()
    {
        _reader = new Mock<IStripeEventReader>();
        _inbox = new Mock<IWebhookInbox>();
        _signal = new Mock<IInboxSignal>();
        _stored = null;
        _inbox.Setup(i => i.TryAddAsync(It.IsAny<NewInboxEvent>(), It.IsAny<CancellationToken>()))
            .Callback<NewInboxEvent, CancellationToken>((e, _) => _stored = e)
            .ReturnsAsync(true);
    }

    private ReceiveStripeEventHandler Handler() => new(_reader.Object, _inbox.Object, _signal.Object, new FakeTimeProvider(Now), new BillingMetrics());

    private void Verifies(bool handled)
    {
        _reader.Setup(r => r.Verify("{payload}", "t=1,v1=good")).Returns(Result<VerifiedStripeEvent>.Success(new VerifiedStripeEvent("evt_1", "invoice.paid", Now.AddSeconds(-3), "2026-10-28.endive", "{payload}", handled, handled ? "cus_1" : null)));
    }

    [Test]
    public async Task A_verified_event_is_stored_in_its_customers_lane_and_the_worker_woken()
    {
        Verifies(handled: true);

        var receipt = (await Handler().Handle(new ReceiveStripeEvent("{payload}", "t=1,v1=good"), default)).Value;

        Assert.That(receipt, Is.EqualTo(new WebhookReceipt("evt_1", Duplicate: false, Ignored: false)));
        Assert.That((_stored!.OrderingKey, _stored.ReceivedAt, _stored.Ignored, _stored.ApiVersion), Is.EqualTo(("cus_1", Now, false, "2026-10-28.endive")));
        _signal.Verify(s => s.Notify(), Times.Once);
        _reader.Verify(r => r.Read(It.IsAny<string>()), Times.Never, "the lane comes from the verified envelope: the event is read once");
    }

    [Test]
    public async Task An_event_of_a_kind_not_acted_on_is_kept_as_ignored_and_wakes_nobody()
    {
        Verifies(handled: false);

        var receipt = (await Handler().Handle(new ReceiveStripeEvent("{payload}", "t=1,v1=good"), default)).Value;

        Assert.That(receipt.Ignored, Is.True);
        Assert.That((_stored!.Ignored, _stored.OrderingKey), Is.EqualTo((true, (string?)null)));
        _signal.Verify(s => s.Notify(), Times.Never);
        _reader.Verify(r => r.Read(It.IsAny<string>()), Times.Never);
    }

    [Test]
    public async Task An_event_delivered_again_is_answered_as_a_duplicate_and_processed_once()
    {
        Verifies(handled: true);
        _inbox.Setup(i => i.TryAddAsync(It.IsAny<NewInboxEvent>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var receipt = (await Handler().Handle(new ReceiveStripeEvent("{payload}", "t=1,v1=good"), default)).Value;

        Assert.That(receipt.Duplicate, Is.True);
        _signal.Verify(s => s.Notify(), Times.Never);
    }

    [Test]
    public async Task A_bad_signature_is_refused_and_nothing_is_stored()
    {
        _reader.Setup(r => r.Verify("{payload}", "t=1,v1=forged")).Returns(Result<VerifiedStripeEvent>.Failure(Error.Invalid("Stripe-Signature", "invalid_signature", "The signature does not match.")));

        var result = await Handler().Handle(new ReceiveStripeEvent("{payload}", "t=1,v1=forged"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("invalid_signature"));
        _inbox.VerifyNoOtherCalls();
    }
}
