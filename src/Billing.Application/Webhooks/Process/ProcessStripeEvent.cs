using Billing.Application.Common;
using Billing.Application.Common.Accounts;
using Billing.Application.Common.Invoices;
using Billing.Application.Common.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Mediator;

namespace Billing.Application.Webhooks.Process;

/// <summary>
/// Applies one stored Stripe event, claimed by <see cref="Worker"/>. Subscription state is never taken from the
/// event body: the subscription is fetched from Stripe and applied only if newer than what the account reflects,
/// so duplicates, reordering and late events all end in Stripe's current state.
/// </summary>
public sealed record ProcessStripeEvent(string EventId, string Worker) : ICommand<Result<string>>;

public sealed class ProcessStripeEventHandler(
    IWebhookInbox inbox,
    IStripeEventReader reader,
    IBillingAccountRepository accounts,
    IPaymentMethodGateway gateway,
    StripeSubscriptionApplier subscriptions,
    IAccountHistory history,
    EventNotifications notifications,
    InvoiceRecorder invoices,
    RefundEvents refunds,
    DisputeEvents disputes,
    TimeProvider clock,
    BillingMetrics metrics) : ICommandHandler<ProcessStripeEvent, Result<string>>
{
    public async ValueTask<Result<string>> Handle(ProcessStripeEvent command, CancellationToken cancellationToken)
    {
        var record = await inbox.FindClaimedAsync(command.EventId, command.Worker, cancellationToken);
        if (record is null)
        {
            // Another worker holds it, or it is done: nothing to do, and nothing to fail.
            return "Not claimed by this worker.";
        }

        var facts = reader.Read(record.Payload);
        if (!facts.IsSuccess)
        {
            return facts.Error!;
        }

        var outcome = await ApplyAsync(facts.Value with { CreatedAt = record.CreatedAt }, cancellationToken);
        if (!outcome.IsSuccess)
        {
            return outcome.Error!;
        }

        var told = notifications.Enabled && await NoticeAccountAsync(facts.Value, cancellationToken) is { } account &&
            await notifications.PlanAsync(facts.Value, account, cancellationToken);
        var now = clock.GetUtcNow();
        var result = told ? $"{outcome.Value} The user will be told by e-mail." : outcome.Value;
        await inbox.CompleteAsync(record.Id, command.Worker, result, now, cancellationToken);
        metrics.WebhooksProcessed.Add(1);
        metrics.WebhookLag.Record((now - record.ReceivedAt).TotalMilliseconds);
        return result;
    }

    private async Task<Result<string>> ApplyAsync(StripeEventFacts facts, CancellationToken cancellationToken)
    {
        // Every invoice in an event goes into the book as reported; it only ever moves forward there.
        if (facts.Invoice is { } invoice)
        {
            await invoices.RecordAsync(invoice, cancellationToken);
            if (StripeEventTypes.InvoiceOnly.Contains(facts.Type))
            {
                return $"Invoice {invoice.Id} recorded as {invoice.Status}.";
            }
        }

        if (StripeEventTypes.Refunds.Contains(facts.Type))
        {
            return await refunds.ApplyAsync(facts, cancellationToken);
        }

        if (StripeEventTypes.Disputes.Contains(facts.Type))
        {
            return await disputes.ApplyAsync(facts, cancellationToken);
        }

        if (facts.Type == StripeEventTypes.CheckoutSessionCompleted)
        {
            return await ApplyCheckoutAsync(facts, cancellationToken);
        }

        if (facts.Type == StripeEventTypes.CustomerDeleted)
        {
            var owner = await accounts.FindByStripeCustomerAsync(facts.ObjectId, cancellationToken);
            var deletedAt = clock.GetUtcNow();
            if (owner is null || !owner.ForgetDeletedCustomer(facts.ObjectId, deletedAt))
            {
                return $"Customer {facts.ObjectId} was deleted; no account was linked to it.";
            }

            history.Add(AccountHistoryEntry.Record(owner.UserId, deletedAt, "customer_deleted", $"Stripe customer {facts.ObjectId} was deleted in Stripe; the account let go of it and its subscription, and the user may check out again."));
            return $"Account {owner.UserId} let go of deleted customer {facts.ObjectId}.";
        }

        if (facts.Type == StripeEventTypes.CheckoutSessionExpired)
        {
            var owner = facts.ClientReferenceId ?? facts.MetadataUserId;
            var expiredFor = owner is null ? null : await accounts.FindAsync(owner, cancellationToken);
            return expiredFor?.ForgetCheckout(facts.ObjectId) == true
                ? $"Checkout session {facts.ObjectId} of user {owner} expired; the user may open another."
                : $"Checkout session {facts.ObjectId} expired; no account was waiting on it.";
        }

        if (facts.SubscriptionId is null)
        {
            return $"{facts.Type} for {facts.ObjectId} concerns no subscription; nothing to apply.";
        }

        if (await CoveredAsync(facts, cancellationToken) is { } covered)
        {
            return covered;
        }

        return await subscriptions.ApplyAsync(facts.SubscriptionId, facts.MetadataUserId, facts.CustomerEmail, AuthenticationInvoiceOf(facts), cancellationToken);
    }

    /// <summary>How long after an event's creation a read of the subscription surely includes it (Stripe's seconds, clock skew).</summary>
    public static readonly TimeSpan CoveredAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// An event created before the account's latest read of its subscription is already reflected: that read saw
    /// Stripe's state after the event. On renewal day Stripe delivers events well after creating them, so most are
    /// covered by the read that one of their siblings caused, and cost no request. The 3-D Secure notice says
    /// more than the state (which invoice waits), so it is always applied.
    /// </summary>
    private async Task<string?> CoveredAsync(StripeEventFacts facts, CancellationToken cancellationToken)
    {
        if (facts.CreatedAt is not { } created || facts.CustomerId is null || facts.Type == StripeEventTypes.InvoicePaymentActionRequired)
        {
            return null;
        }

        var account = await accounts.FindByStripeCustomerAsync(facts.CustomerId, cancellationToken);
        return account is { LastStripeEventAt: { } read } && account.StripeSubscriptionId == facts.SubscriptionId && read >= created + CoveredAfter
            ? $"Account {account.UserId} read {facts.SubscriptionId} at {read:O}, after this event was created; nothing to read again."
            : null;
    }

    /// <summary>Links customer and subscription to the user named by client_reference_id (or metadata), never by e-mail.</summary>
    private async Task<Result<string>> ApplyCheckoutAsync(StripeEventFacts facts, CancellationToken cancellationToken)
    {
        var userId = facts.ClientReferenceId ?? facts.MetadataUserId;
        if (userId is null)
        {
            return $"Checkout session {facts.ObjectId} names no user; it was not started by this service.";
        }

        if (facts.CustomerId is not null && await subscriptions.AccountLinkedToAsync(userId, facts.CustomerId, facts.CustomerEmail, cancellationToken) is null)
        {
            return Error.Conflict("customer_mismatch", $"Checkout session {facts.ObjectId} is for customer {facts.CustomerId}, but user {userId} is linked to another customer.");
        }

        (await accounts.FindAsync(userId, cancellationToken))?.ForgetCheckout(facts.ObjectId);
        if (facts.CheckoutMode == "setup")
        {
            return await AdoptNewCardAsync(userId, facts, cancellationToken);
        }

        return facts.SubscriptionId is null
            ? $"Checkout session {facts.ObjectId} linked to user {userId}; it has no subscription."
            : await subscriptions.ApplyAsync(facts.SubscriptionId, userId, facts.CustomerEmail, null, cancellationToken);
    }

    /// <summary>
    /// A card saved in a setup session becomes the default of the customer and of the live subscription, and an
    /// open invoice is tried with it at once rather than at Stripe's next retry, days away.
    /// </summary>
    private async Task<Result<string>> AdoptNewCardAsync(string userId, StripeEventFacts facts, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(userId, cancellationToken);
        if (account?.StripeCustomerId is null || facts.SetupIntentId is null)
        {
            return $"Setup session {facts.ObjectId} saved no card for a linked customer; nothing to adopt.";
        }

        var subscriptionId = account.HasLiveSubscription ? account.StripeSubscriptionId : null;
        var adopted = await gateway.AdoptSetupPaymentMethodAsync(facts.SetupIntentId, account.StripeCustomerId, subscriptionId, $"billing-card-adopt-{facts.ObjectId}", cancellationToken);
        if (!adopted.IsSuccess)
        {
            return adopted.Error!;
        }

        var now = clock.GetUtcNow();
        history.Add(AccountHistoryEntry.Record(userId, now, "payment_method_updated", $"A new card saved in setup session {facts.ObjectId} is now the default{(subscriptionId is null ? "." : $" of the customer and of {subscriptionId}.")}"));
        if (subscriptionId is null || account.OpenInvoice is not { } open)
        {
            return $"Account {userId} has a new default card; no invoice was open.";
        }

        var paid = await gateway.PayInvoiceAsync(open.InvoiceId, adopted.Value, $"billing-card-retry-{facts.ObjectId}", cancellationToken);
        LaneReads.Forget(subscriptionId);
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
        var refreshed = await subscriptions.ApplyAsync(subscriptionId, userId, null, null, cancellationToken);
        return refreshed.IsSuccess ? $"{retried} {refreshed.Value}" : refreshed.Error!;
    }

    /// <summary>Which invoice awaits 3-D Secure is said only by this event.</summary>
    private static string? AuthenticationInvoiceOf(StripeEventFacts facts) =>
        facts.Type == StripeEventTypes.InvoicePaymentActionRequired && facts.ObjectId.Length > 0 ? facts.ObjectId : null;

    /// <summary>The account an event concerns, as processing left it (the same tracked instance).</summary>
    private async Task<BillingAccount?> NoticeAccountAsync(StripeEventFacts facts, CancellationToken cancellationToken) =>
        (facts.CustomerId is null ? null : await accounts.FindByStripeCustomerAsync(facts.CustomerId, cancellationToken)) ??
        ((facts.ClientReferenceId ?? facts.MetadataUserId) is { } userId ? await accounts.FindAsync(userId, cancellationToken) : null);
}
