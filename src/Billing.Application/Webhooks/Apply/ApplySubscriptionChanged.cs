using Billing.Application.Accounts;
using Billing.Application.Notifications;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Plans;
using Mediator;

namespace Billing.Application.Webhooks.Apply;

/// <summary>
/// A subscription changed: its state is read from Stripe (never taken from the event) and applied if newer than what
/// the account reflects; the user hears of a trial ending, a cancellation scheduled, or the end.
/// </summary>
public sealed class ApplySubscriptionChanged(StripeSubscriptionApplier subscriptions, AccountNotices notices)
    : IRequestHandler<SubscriptionChanged, Result<string>>
{
    public async ValueTask<Result<string>> Handle(SubscriptionChanged message, CancellationToken cancellationToken)
    {
        // The event's object is the subscription itself.
        var applied = await subscriptions.ApplyReportedAsync(message.ObjectId, message.CustomerId, message.CreatedAt, message.UserId, null, null, cancellationToken);
        if (!applied.IsSuccess)
        {
            return applied;
        }

        var told = await notices.TellAsync(message.CustomerId, message.UserId, account => message.Change switch
        {
            SubscriptionChange.TrialEnding when account.Status == SubscriptionStatus.Trialing => new Notice(NotificationKind.TrialEnding, message.EventId),

            // Told once per subscription, whichever of Stripe's events reports the end.
            SubscriptionChange.Ended when account.Status == SubscriptionStatus.Canceled && message.ObjectId == account.StripeSubscriptionId =>
                new Notice(NotificationKind.SubscriptionCanceled, $"ended:{message.ObjectId}"),
            SubscriptionChange.Updated when message.CancellationScheduled && account.CancelAtPeriodEnd => new Notice(NotificationKind.SubscriptionEnding, message.EventId),
            _ => null,
        }, cancellationToken);
        return told ? applied.Value + AccountNotices.Told : applied;
    }
}
