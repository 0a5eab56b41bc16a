using System.Text.Json;
using Billing.Application.Common;
using Billing.Application.Common.Messaging;
using Billing.Application.Common.Results;
using Billing.Application.Notifications;
using Billing.Application.Notifications.Deliver;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Notifications;

/// <summary>An e-mail from the outbox: sent only while it still holds for the account, completed with what happened, retried when the mail server fails.</summary>
public sealed class DeliverNotificationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid MessageId = Guid.NewGuid();
    private Mock<ISyncOutbox> _outbox = null!;
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<INotificationSender> _sender = null!;
    private OutgoingEmail? _sent;

    [SetUp]
    public void FreshMocks()
    {
        _outbox = new Mock<ISyncOutbox>();
        _accounts = new Mock<IBillingAccountRepository>();
        _sender = new Mock<INotificationSender>();
        _sender.SetupGet(s => s.Enabled).Returns(true);
        _sent = null;
        _sender.Setup(s => s.SendAsync(It.IsAny<OutgoingEmail>(), It.IsAny<CancellationToken>()))
            .Callback<OutgoingEmail, CancellationToken>((e, _) => _sent = e)
            .ReturnsAsync(Result<string>.Success("Sent payment_failed."));
    }

    private DeliverNotificationHandler Handler() =>
        new(_outbox.Object, _accounts.Object, _sender.Object, new FakeTimeProvider(Now), Options.Create(new BillingOptions { PortalReturnUrl = "https://app.example/billing" }), new BillingMetrics());

    private void Claimed(NotificationRequest request) =>
        _outbox.Setup(o => o.FindClaimedAsync(MessageId, "worker-1", It.IsAny<CancellationToken>())).ReturnsAsync(new OutboxEntry(
            MessageId, request.UserId, SyncTarget.Notification, SyncStatus.Pending, 1, 0, Now, Now, null, null, null, JsonSerializer.Serialize(request, DeliverNotificationHandler.Json)));

    private BillingAccount PastDue(string? openInvoice)
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-40));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-40));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.PastDue, Tier.Starter, BillingCycle.Monthly, Now.AddDays(-1), Now.AddDays(29), false, 1900, "usd",
            OpenInvoice: openInvoice is null ? null : new OpenInvoice(openInvoice, "https://invoice.stripe.com/i/1", Now.AddDays(3), Now.AddDays(-1))), Now);
        _accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    private static NotificationRequest PaymentFailed() => new(NotificationKind.PaymentFailed, "u1", "u1@example.com", "in_1", InvoiceId: "in_1");

    [Test]
    public async Task A_notice_that_still_holds_is_sent_with_the_accounts_values_and_completed()
    {
        PastDue(openInvoice: "in_1");
        Claimed(PaymentFailed());

        var result = await Handler().Handle(new DeliverNotification(MessageId, "worker-1"), default);

        Assert.That(result.Value, Is.EqualTo("Sent payment_failed."));
        Assert.That(_sent!.Recipient, Is.EqualTo("u1@example.com"));
        Assert.That(_sent.Values["tier"], Is.EqualTo("Starter"));
        Assert.That(_sent.Values["invoice_id"], Is.EqualTo("in_1"));
        Assert.That(_sent.MessageKey, Is.EqualTo(PaymentFailed().DeduplicationKey));
        _outbox.Verify(o => o.CompleteAsync(MessageId, "worker-1", "Sent payment_failed.", Now, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task A_payment_failure_whose_invoice_was_paid_meanwhile_is_not_sent_and_says_why()
    {
        PastDue(openInvoice: null);
        Claimed(PaymentFailed());

        var result = await Handler().Handle(new DeliverNotification(MessageId, "worker-1"), default);

        Assert.That(result.Value, Does.StartWith("Not sent: invoice in_1 is no longer open"));
        _sender.Verify(s => s.SendAsync(It.IsAny<OutgoingEmail>(), It.IsAny<CancellationToken>()), Times.Never);
        _outbox.Verify(o => o.CompleteAsync(MessageId, "worker-1", It.Is<string>(s => s.StartsWith("Not sent")), Now, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task A_cancellation_notice_after_the_cancellation_was_lifted_is_not_sent()
    {
        PastDue(openInvoice: "in_1");
        Claimed(new NotificationRequest(NotificationKind.SubscriptionEnding, "u1", "u1@example.com", "sub_1-end", SubscriptionId: "sub_1"));

        var result = await Handler().Handle(new DeliverNotification(MessageId, "worker-1"), default);

        Assert.That(result.Value, Is.EqualTo("Not sent: the cancellation was lifted."));
    }

    [Test]
    public async Task Without_a_mail_server_the_notice_is_completed_unsent_and_says_so()
    {
        PastDue(openInvoice: "in_1");
        Claimed(PaymentFailed());
        _sender.SetupGet(s => s.Enabled).Returns(false);

        var result = await Handler().Handle(new DeliverNotification(MessageId, "worker-1"), default);

        Assert.That(result.Value, Does.Contain("SMTP_HOST"));
    }

    [Test]
    public async Task A_mail_server_failure_completes_nothing_so_the_relay_retries()
    {
        PastDue(openInvoice: "in_1");
        Claimed(PaymentFailed());
        _sender.Setup(s => s.SendAsync(It.IsAny<OutgoingEmail>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<string>.Failure(new Error(ErrorKind.UpstreamUnavailable, "smtp_unavailable", "Connection refused.")));

        var result = await Handler().Handle(new DeliverNotification(MessageId, "worker-1"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("smtp_unavailable"));
        _outbox.Verify(o => o.CompleteAsync(It.IsAny<Guid>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task A_message_another_worker_holds_is_left_alone()
    {
        var result = await Handler().Handle(new DeliverNotification(MessageId, "worker-2"), default);

        Assert.That(result.Value, Is.EqualTo("Not claimed by this worker."));
        _sender.VerifyNoOtherCalls();
    }
}
