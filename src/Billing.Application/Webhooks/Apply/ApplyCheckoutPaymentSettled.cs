using Billing.Application.Accounts;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Accounts;
using Mediator;

namespace Billing.Application.Webhooks.Apply;

/// <summary>
/// The bank debit of a subscription's first payment settled. Succeeded: the account leaves <c>pending_payment</c> and
/// is what Stripe's subscription says (read again, its invoice now paid). Failed: the subscription was never paid for,
/// so it is ended in Stripe at once (keyed by the session: a redelivery ends nothing twice), the user is told once,
/// and may check out again.
/// </summary>
public sealed class ApplyCheckoutPaymentSettled(
    IBillingAccountRepository accounts,
    StripeSubscriptionApplier subscriptions,
    ISubscriptionGateway gateway,
    SubscriptionTranslator translator,
    IAccountHistory history) : IRequestHandler<CheckoutPaymentSettled, Result<string>>
{
    public static string EndKey(string sessionId) => $"billing-debit-failed-{sessionId}";

    public async ValueTask<Result<string>> Handle(CheckoutPaymentSettled message, CancellationToken cancellationToken)
    {
        if (message.UserId is not { } userId || await accounts.FindAsync(userId, cancellationToken) is not { } account)
        {
            return $"Checkout session {message.SessionId} names no account of this service; nothing to settle.";
        }

        if (message.CustomerId is not null && account.StripeCustomerId is not null && account.StripeCustomerId != message.CustomerId)
        {
            return Error.Conflict("customer_mismatch", $"Checkout session {message.SessionId} is for customer {message.CustomerId}, but user {userId} is linked to another customer.");
        }

        if (!account.SettleFirstPayment(message.SessionId, message.SubscriptionId, message.Succeeded, message.CreatedAt))
        {
            return $"The payment of checkout session {message.SessionId} was settled before; nothing changed.";
        }

        history.Add(AccountHistoryEntry.Record(userId, message.CreatedAt, message.Succeeded ? "first_debit_succeeded" : "first_debit_failed",
            $"The bank debit of checkout session {message.SessionId} {(message.Succeeded ? "went through" : "failed; the subscription ends")}."));
        if (message.SubscriptionId is not { } subscriptionId)
        {
            return $"Checkout session {message.SessionId} of user {userId} settled ({(message.Succeeded ? "the money is in" : "the debit failed")}); it started no subscription.";
        }

        if (message.Succeeded)
        {
            var applied = await subscriptions.ApplyAsync(SubscriptionReadReason.Checkout, subscriptionId, userId, null, cancellationToken);
            return applied.IsSuccess ? $"The first debit of user {userId} went through. {applied.Value}" : applied.Error!;
        }

        var ended = await gateway.CancelSubscriptionAsync(subscriptionId, atPeriodEnd: false, EndKey(message.SessionId), cancellationToken);
        if (!ended.IsSuccess)
        {
            return ended.Error!.Kind == ErrorKind.NotFound
                ? $"The first debit of user {userId} failed; subscription {subscriptionId} had already ended."
                : ended.Error;
        }

        if (translator.Translate(ended.Value) is { IsSuccess: true } snapshot)
        {
            account.ApplyAnswer(snapshot.Value, ended.Value.ObservedAt ?? message.CreatedAt);
        }

        return $"The first debit of user {userId} failed; subscription {subscriptionId} was ended and the user may check out again.";
    }
}
