using Billing.Application.Admin.SyncFailures;
using Billing.Application.Admin.WebhookEvents;
using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Moq;

namespace Billing.Application.Tests.Admin;

/// <summary>Parked deliveries and stored Stripe events: listed for an administrator, put back in line once, and the worker woken.</summary>
public sealed class ReplayAdminTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<ISyncOutbox> _outbox = null!;
    private Mock<IOutboxSignal> _outboxSignal = null!;
    private Mock<IWebhookInbox> _inbox = null!;
    private Mock<IInboxSignal> _inboxSignal = null!;

    [SetUp]
    public void FreshMocks()
    {
        _outbox = new Mock<ISyncOutbox>();
        _outboxSignal = new Mock<IOutboxSignal>();
        _inbox = new Mock<IWebhookInbox>();
        _inboxSignal = new Mock<IInboxSignal>();
    }

    private static InboxEntry Stored(string id, InboxStatus status) =>
        new(id, "invoice.paid", "{}", status, 5, Now.AddHours(-1), Now, null, null, "Keycloak down", Now.AddHours(-1));

    [Test]
    public async Task Sync_failures_are_the_parked_messages_named_by_their_target()
    {
        _outbox.Setup(o => o.ListAsync(SyncStatus.Parked, null, 25, It.IsAny<CancellationToken>()))
            .ReturnsAsync([new OutboxEntry(Guid.NewGuid(), "u1", SyncTarget.UsageLedger, SyncStatus.Parked, 2, 8, Now, Now, null, null, "Lago answered 422")]);

        var result = await new ListSyncFailuresHandler(_outbox.Object).Handle(new ListSyncFailures(25), default);

        Assert.That(result.Value.Single().Target, Is.EqualTo("lago"));
        Assert.That(result.Value.Single().Status, Is.EqualTo("parked"));
        Assert.That(result.Value.Single().LastError, Is.EqualTo("Lago answered 422"));
    }

    [Test]
    public async Task A_parked_message_is_put_back_in_line_and_the_relay_woken()
    {
        var id = Guid.NewGuid();
        _outbox.Setup(o => o.ReplayAsync(id, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var result = await new ReplaySyncMessageHandler(_outbox.Object, _outboxSignal.Object).Handle(new ReplaySyncMessage(id, "admin-1"), default);

        Assert.That(result.IsSuccess, Is.True);
        _outboxSignal.Verify(s => s.Notify(), Times.Once);
    }

    [Test]
    public async Task A_message_that_is_not_parked_is_not_found_and_nothing_is_woken()
    {
        var result = await new ReplaySyncMessageHandler(_outbox.Object, _outboxSignal.Object).Handle(new ReplaySyncMessage(Guid.NewGuid(), "admin-1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("sync_message_not_found"));
        _outboxSignal.Verify(s => s.Notify(), Times.Never);
    }

    [Test]
    public async Task Webhook_events_are_listed_by_the_status_asked_for_in_any_case()
    {
        _inbox.Setup(i => i.ListAsync(InboxStatus.Failed, 10, It.IsAny<CancellationToken>())).ReturnsAsync([Stored("evt_1", InboxStatus.Failed)]);

        var result = await new ListWebhookEventsHandler(_inbox.Object).Handle(new ListWebhookEvents("FAILED", 10), default);

        Assert.That(result.Value.Single().Status, Is.EqualTo("failed"));
        Assert.That(result.Value.Single().LastError, Is.EqualTo("Keycloak down"));
    }

    [Test]
    public async Task A_failed_event_is_replayed_and_the_inbox_worker_woken()
    {
        _inbox.Setup(i => i.FindAsync("evt_1", It.IsAny<CancellationToken>())).ReturnsAsync(Stored("evt_1", InboxStatus.Failed));
        _inbox.Setup(i => i.ReplayAsync("evt_1", It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var result = await new ReplayWebhookEventHandler(_inbox.Object, _inboxSignal.Object).Handle(new ReplayWebhookEvent("evt_1", "admin-1"), default);

        Assert.That(result.IsSuccess, Is.True);
        _inboxSignal.Verify(s => s.Notify(), Times.Once);
    }

    [Test]
    public async Task An_ignored_event_has_nothing_to_replay_and_an_unknown_one_is_not_found()
    {
        _inbox.Setup(i => i.FindAsync("evt_ignored", It.IsAny<CancellationToken>())).ReturnsAsync(Stored("evt_ignored", InboxStatus.Ignored));
        var handler = new ReplayWebhookEventHandler(_inbox.Object, _inboxSignal.Object);

        var ignored = await handler.Handle(new ReplayWebhookEvent("evt_ignored", "admin-1"), default);
        var unknown = await handler.Handle(new ReplayWebhookEvent("evt_unknown", "admin-1"), default);

        Assert.That(ignored.Error!.Code, Is.EqualTo("webhook_event_ignored"));
        Assert.That(unknown.Error!.Code, Is.EqualTo("webhook_event_not_found"));
        _inbox.Verify(i => i.ReplayAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _inboxSignal.Verify(s => s.Notify(), Times.Never);
    }
}
