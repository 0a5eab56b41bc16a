using Billing.Application.Accounts;
using Billing.Application.Notifications;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Accounts;
using Mediator;

namespace Billing.Application.Webhooks.Apply;

/// <summary>
/// A Checkout Session was completed. The customer and subscription are linked to the user it names
/// (client_reference_id or metadata, never the e-mail); a card saved in setup mode becomes the default of the
/// customer and of the live subscription, and an open invoice is tried with it at once rather than at Stripe's next
/// retry, days away. A session paid by a bank debit completes unpaid: the account awaits its first payment until
/// Stripe says the debit settled (<see cref="ApplyCheckoutPaymentSettled"/>).
/// </summary>
public sealed class ApplyCheckoutCompleted(
    StripeSubscriptionApplier subscriptions,
    IBillingAccountRepository accounts,
    IPaymentMethodGateway cards,
    SubscriptionReads reads,
    IAccountHistory history,
    AccountNotices notices,
    TimeProvider clock) : IRequestHandler<CheckoutCompleted, Result<string>>
{
    public async ValueTask<Result<string>> Handle(CheckoutCompleted message, CancellationToken cancellationToken)
    {
        var applied = await LinkAsync(message, cancellationToken);
        if (applied.IsSuccess && message.PaymentPending && message.UserId is { } userId && await accounts.FindAsync(userId, cancellationToken) is { } account &&
            account.StripeSubscriptionId == message.SubscriptionId && account.NoteFirstPaymentPending(message.SessionId, message.CreatedAt))
        {
            return $"{applied.Value} Its first payment, a bank debit, is on its way: the account is pending_payment until the bank answers.";
        }

        if (!applied.IsSuccess || !message.SavedCard)
        {
            return applied;
        }

        var told = await notices.TellAsync(message.CustomerId, message.UserId, account => account.NotePaymentMethodReplaced(message.EventId, message.CreatedAt), cancellationToken);
        return told ? applied.Value + AccountNotices.Told : applied;
    }

    private async Task<Result<string>> LinkAsync(CheckoutCompleted message, CancellationToken cancellationToken)
    {
        if (message.UserId is not { } userId)
        {
            return $"Checkout session {message.SessionId} names no user; it was not started by this service.";
        }

        if (message.CustomerId is not null && await subscriptions.AccountLinkedToAsync(userId, message.CustomerId, message.CustomerEmail, cancellationToken) is null)
        {
            return Error.Conflict("customer_mismatch", $"Checkout session {message.SessionId} is for customer {message.CustomerId}, but user {userId} is linked to another customer.");
        }

        (await accounts.FindAsync(userId, cancellationToken))?.ForgetCheckout(message.SessionId);
        if (message.SavedCard)
        {
            return await AdoptNewCardAsync(userId, message, cancellationToken);
        }

        return message.SubscriptionId is null
            ? $"Checkout session {message.SessionId} linked to user {userId}; it has no subscription."
            : await subscriptions.ApplyAsync(SubscriptionReadReason.Checkout, message.SubscriptionId, userId, message.CustomerEmail, cancellationToken);
    }

    private async Task<Result<string>> AdoptNewCardAsync(string userId, CheckoutCompleted message, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(userId, cancellationToken);
        if (account?.StripeCustomerId is null || message.SetupIntentId is null)
        {
            return $"Setup session {message.SessionId} saved no card for a linked customer; nothing to adopt.";
        }

        var subscriptionId = account.HasLiveSubscription ? account.StripeSubscriptionId : null;
        var adopted = await cards.AdoptSetupPaymentMethodAsync(message.SetupIntentId, account.StripeCustomerId, subscriptionId, $"billing-card-adopt-{message.SessionId}", cancellationToken);
        if (!adopted.IsSuccess)
        {
            return adopted.Error!;
        }

        var now = clock.GetUtcNow();
        history.Add(AccountHistoryEntry.Record(userId, now, "payment_method_updated", $"A new card saved in setup session {message.SessionId} is now the default{(subscriptionId is null ? "." : $" of the customer and of {subscriptionId}.")}"));
        if (subscriptionId is null || account.OpenInvoice is not { } open)
        {
            return $"Account {userId} has a new default card; no invoice was open.";
        }

        var paid = await cards.PayInvoiceAsync(open.InvoiceId, adopted.Value, $"billing-card-retry-{message.SessionId}", cancellationToken);
        reads.Forget(subscriptionId);
        var retried = paid.IsSuccess
            ? $"Open invoice {open.InvoiceId} was paid with the new card."
            : paid.Error!.Kind is ErrorKind.PaymentDeclined or ErrorKind.Validation
                ? $"Open invoice {open.InvoiceId} could not be paid with the new card: {paid.Error.Detail}"
                : null;
        if (retried is null)
        {
            return paid.Error!;
        }

        history.Add(AccountHistoryEntry.Record(userId, now, paid.IsSuccess ? "invoice_paid_with_new_card" : "invoice_retry_declined", retried));
        var refreshed = await subscriptions.ApplyAsync(SubscriptionReadReason.Checkout, subscriptionId, userId, null, cancellationToken);
        return refreshed.IsSuccess ? $"{retried} {refreshed.Value}" : refreshed.Error!;
    }
}
