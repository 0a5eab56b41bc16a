using System.Globalization;
using System.Text.Json;
using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Notifications;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Notifications.Deliver;

/// <summary>
/// Sends one e-mail claimed from the outbox by <see cref="Worker"/>. It is checked against the account first: a
/// notice the account has outgrown (the invoice was paid meanwhile, the cancellation was lifted) is not sent.
/// </summary>
public sealed record DeliverNotification(Guid MessageId, string Worker) : ICommand<Result<string>>;

public sealed class DeliverNotificationHandler(
    ISyncOutbox outbox,
    IBillingAccountRepository accounts,
    INotificationSender sender,
    TimeProvider clock,
    IOptions<BillingOptions> options,
    BillingMetrics metrics) : ICommandHandler<DeliverNotification, Result<string>>
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async ValueTask<Result<string>> Handle(DeliverNotification command, CancellationToken cancellationToken)
    {
        var message = await outbox.FindClaimedAsync(command.MessageId, command.Worker, cancellationToken);
        if (message is null)
        {
            return "Not claimed by this worker.";
        }

        var request = JsonSerializer.Deserialize<NotificationRequest>(message.Payload, Json)!;
        var account = await accounts.FindAsync(message.UserId, cancellationToken);
        var outcome = account is null ? "The account no longer exists; nothing was sent."
            : Outgrown(request, account) is { } reason ? $"Not sent: {reason}"
            : !sender.Enabled ? "Not sent: e-mail is not configured (SMTP_HOST)."
            : null;
        if (outcome is null)
        {
            var sent = await sender.SendAsync(new OutgoingEmail(request.Kind, request.Recipient, Values(request, account!), request.DeduplicationKey), cancellationToken);
            if (!sent.IsSuccess)
            {
                return sent.Error!;
            }

            outcome = sent.Value;
        }

        var now = clock.GetUtcNow();
        await outbox.CompleteAsync(message.Id, command.Worker, outcome, now, cancellationToken);
        metrics.SyncDelivered.Add(1);
        return outcome;
    }

    /// <summary>Why the notice no longer holds, or null when it does.</summary>
    private static string? Outgrown(NotificationRequest request, BillingAccount account) => request.Kind switch
    {
        NotificationKind.PaymentFailed or NotificationKind.AuthenticationRequired when account.OpenInvoice?.InvoiceId != request.InvoiceId =>
            $"invoice {request.InvoiceId} is no longer open (paid or void).",
        NotificationKind.PaymentFailed when account.AuthenticationInvoiceId == request.InvoiceId =>
            $"invoice {request.InvoiceId} awaits 3-D Secure; that notice tells the user.",
        NotificationKind.SubscriptionEnding when !account.CancelAtPeriodEnd || account.StripeSubscriptionId != request.SubscriptionId =>
            "the cancellation was lifted.",
        NotificationKind.PlanChangeScheduled when account.ScheduledChange is null || account.StripeSubscriptionId != request.SubscriptionId =>
            "the scheduled change was lifted, or has happened.",
        NotificationKind.TrialEnding when account.Status != SubscriptionStatus.Trialing =>
            "the trial is over.",
        _ => null,
    };

    private Dictionary<string, string> Values(NotificationRequest request, BillingAccount account)
    {
        var settings = options.Value;
        var action = PaymentActionView.Of(account.PendingAction(settings.PastDueGracePeriod), settings);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["tier"] = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(account.Tier.Code()),
            ["url"] = action?.Url ?? settings.PortalReturnUrl,
            ["billing_url"] = settings.PortalReturnUrl,
            ["due_date"] = Date(action?.DueAt),
            ["period_end"] = Date(account.CurrentPeriodEnd),
            ["user_id"] = account.UserId,
            ["invoice_id"] = request.InvoiceId ?? "unknown",
            ["new_plan"] = account.ScheduledChange is { } change ? $"{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(change.Tier.Code())} ({change.Cycle.Code()})" : "another plan",
            ["change_date"] = Date(account.ScheduledChange?.EffectiveAt ?? account.CurrentPeriodEnd),
        };
    }

    private static string Date(DateTimeOffset? at) => at?.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) ?? "soon";
}
