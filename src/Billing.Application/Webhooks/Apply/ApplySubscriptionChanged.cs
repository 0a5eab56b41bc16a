using Billing.Application.Accounts;
using Billing.Application.Notifications;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Plans;
using Mediator;

namespace Billing.Application.Webhooks.Apply;

/// <summary>
/// A subscription changed: the state its event carried is applied if Stripe created the event after everything the
/// account reflects (Stripe is read only when that cannot be told); the user hears of a trial ending, a cancellation
/// scheduled, or the end.
/// </summary>
public sealed class ApplySubscriptionChanged(StripeSubscriptionApplier subscriptions, AccountNotices notices)
    : IRequestHandler<SubscriptionChanged, Result<string>>
{
    public async ValueTask<Result<string>> Handle(SubscriptionChanged message, CancellationToken cancellationToken)
    {
        // The event's object is the subscription itself.
        var applied = await subscriptions.ApplyReportedAsync(message.ObjectId, message.Reported, message.CreatedAt, message.UserId, cancellationToken);
        if (!applied.IsSuccess)
        {
            return applied;
        }

        // The end of a subscription and a scheduled cancellation are told from the account's own change (SyncPlan).
        var told = message.Change == SubscriptionChange.TrialEnding &&
            await notices.TellAsync(message.CustomerId, message.UserId, account => account.NoteTrialEnding(message.EventId, message.CreatedAt), cancellationToken);
        return told ? applied.Value + AccountNotices.Told : applied;
    }
}
