using Billing.Application.Common;
using Billing.Application.Common.Notifications;
using Billing.Application.Common.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Options;

namespace Billing.Application.Webhooks.Process;

/// <summary>
/// Which e-mail a processed Stripe event asks for, decided against the account as the event left it: a payment
/// that already went through, or a failure that needs 3-D Secure (told as that), sends nothing more.
/// </summary>
public sealed class EventNotifications(INotificationSender sender, INotificationQueue queue, TimeProvider clock, IOptions<BillingOptions> options)
{
    public bool Enabled => sender.Enabled;

    public async Task<bool> PlanAsync(StripeEventFacts facts, BillingAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(account);
        if (!sender.Enabled || string.IsNullOrWhiteSpace(account.Email) || facts.EventId.Length == 0)
        {
            return false;
        }

        var stillOpen = account.OpenInvoice?.InvoiceId == facts.ObjectId;
        var request = facts.Type switch
        {
            StripeEventTypes.InvoicePaymentActionRequired when stillOpen =>
                Notice(NotificationKind.AuthenticationRequired, facts.EventId, invoiceId: facts.ObjectId),
            StripeEventTypes.InvoicePaymentFailed when stillOpen && account.AuthenticationInvoiceId != facts.ObjectId =>
                Notice(NotificationKind.PaymentFailed, facts.EventId, invoiceId: facts.ObjectId),
            StripeEventTypes.SubscriptionTrialWillEnd when account.Status == SubscriptionStatus.Trialing =>
                Notice(NotificationKind.TrialEnding, facts.EventId),

            // Told once per subscription, whichever of Stripe's events reports the end.
            StripeEventTypes.SubscriptionDeleted when account.Status == SubscriptionStatus.Canceled && facts.SubscriptionId == account.StripeSubscriptionId =>
                Notice(NotificationKind.SubscriptionCanceled, $"ended:{facts.SubscriptionId}"),
            StripeEventTypes.SubscriptionUpdated when facts.CancellationScheduled && account.CancelAtPeriodEnd =>
                Notice(NotificationKind.SubscriptionEnding, facts.EventId),
            StripeEventTypes.CheckoutSessionCompleted when facts.CheckoutMode == "setup" && account.StripeCustomerId is not null =>
                Notice(NotificationKind.PaymentMethodUpdated, facts.EventId),
            _ => null,
        };
        return request is not null && await queue.EnqueueAsync(request, clock.GetUtcNow() + options.Value.NotificationDelay, cancellationToken);

        NotificationRequest Notice(NotificationKind kind, string occasion, string? invoiceId = null) =>
            new(kind, account.UserId, account.Email, occasion, invoiceId, account.StripeSubscriptionId);
    }
}
