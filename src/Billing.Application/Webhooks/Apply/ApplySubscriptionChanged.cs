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

        // The end of a subscription and a scheduled cancellation are told from the account's own change (SyncPlan).
        var told = message.Change == SubscriptionChange.TrialEnding &&
            await notices.TellAsync(message.CustomerId, message.UserId, account => account.NoteTrialEnding(message.EventId, message.CreatedAt), cancellationToken);
        return told ? applied.Value + AccountNotices.Told : applied;
    }
}
