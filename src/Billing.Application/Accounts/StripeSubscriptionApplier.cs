using Billing.Application.Common;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Logging;

namespace Billing.Application.Accounts;

/// <summary>
/// Brings an account to what Stripe says of one of its subscriptions, read from Stripe now (once per lane, see
/// <see cref="SubscriptionReads"/>): the one path by which webhooks and reconciliation change an account's subscription.
/// </summary>
public sealed class StripeSubscriptionApplier(
    IBillingAccountRepository accounts,
    ISubscriptionGateway gateway,
    SubscriptionReads reads,
    SubscriptionTranslator translator,
    IAccountHistory history,
    ILogger<StripeSubscriptionApplier> logger)
{
    /// <summary>How long after an event's creation a read of the subscription surely includes it (Stripe's seconds, clock skew).</summary>
    public static readonly TimeSpan CoveredAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Applies what an event about the subscription reports, unless the account's latest read of it came after the
    /// event was created: that read saw Stripe's state after the event. On renewal day Stripe delivers events well
    /// after creating them, so most are covered by the read one of their siblings caused, and cost no request. The
    /// 3-D Secure notice says more than the state (which invoice waits), so it is always applied.
    /// </summary>
    public async Task<Result<string>> ApplyReportedAsync(
        string subscriptionId, string? customerId, DateTimeOffset eventCreatedAt, string? fallbackUserId, string? fallbackEmail, string? authenticationInvoiceId, CancellationToken cancellationToken)
    {
        if (authenticationInvoiceId is null && customerId is not null &&
            await accounts.FindByStripeCustomerAsync(customerId, cancellationToken) is { LastStripeEventAt: { } read } account &&
            account.StripeSubscriptionId == subscriptionId && read >= eventCreatedAt + CoveredAfter)
        {
            return $"Account {account.UserId} read {subscriptionId} at {read:O}, after this event was created; nothing to read again.";
        }

        return await ApplyAsync(subscriptionId, fallbackUserId, fallbackEmail, authenticationInvoiceId, cancellationToken);
    }

    public async Task<Result<string>> ApplyAsync(string subscriptionId, string? fallbackUserId, string? fallbackEmail, string? authenticationInvoiceId, CancellationToken cancellationToken)
    {
        var fetched = await reads.GetAsync(subscriptionId, cancellationToken);
        if (!fetched.IsSuccess)
        {
            return fetched.Error!;
        }

        var (subscription, observedAt) = fetched.Value;
        var account = await FindAccountAsync(subscription, fallbackUserId, fallbackEmail, cancellationToken);
        if (account is null)
        {
            return Error.NotFound("account_not_found", $"No account is linked to Stripe customer {subscription.CustomerId} yet.");
        }

        if (subscription.CustomerId == account.DeletedStripeCustomerId)
        {
            return $"Customer {subscription.CustomerId} of account {account.UserId} was deleted; {subscriptionId} changes nothing.";
        }

        var snapshot = translator.Translate(subscription);
        if (!snapshot.IsSuccess)
        {
            return snapshot.Error!;
        }

        // Which invoice awaits 3-D Secure is said only by its event; whether it is still open, by the read above.
        if (authenticationInvoiceId is not null)
        {
            account.NoteAuthenticationRequired(authenticationInvoiceId);
        }

        if (snapshot.Value.Status.IsLive() && account.HasLiveSubscription && account.StripeSubscriptionId != subscription.Id)
        {
            return await EndDuplicateAsync(account, subscription, snapshot.Value, observedAt, cancellationToken);
        }

        var applied = account.ApplySubscription(snapshot.Value, observedAt);
        return applied
            ? $"Account {account.UserId} is now {account.Tier.ToString().ToLowerInvariant()} / {snapshot.Value.Status} from {subscriptionId}."
            : $"Account {account.UserId} already reflects {subscriptionId}; nothing changed.";
    }

    /// <summary>
    /// A second live subscription for a user who has one (two sessions both paid, S3): the newer one is canceled at
    /// once and what it collected is refunded, and the account keeps (or moves to) the older one.
    /// </summary>
    private async Task<Result<string>> EndDuplicateAsync(BillingAccount account, GatewaySubscription arrived, SubscriptionSnapshot arrivedSnapshot, DateTimeOffset observedAt, CancellationToken cancellationToken)
    {
        var heldFetch = await gateway.GetSubscriptionAsync(account.StripeSubscriptionId!, cancellationToken);
        if (!heldFetch.IsSuccess)
        {
            return heldFetch.Error!;
        }

        var held = heldFetch.Value;
        if (!held.IsLive)
        {
            // The one the account reflects has ended in Stripe: the arriving one is simply the current one.
            account.ApplySubscription(arrivedSnapshot, observedAt);
            return $"Account {account.UserId} moved to {arrived.Id}; {held.Id} has ended.";
        }

        var (newer, older) = arrived.Created > held.Created || (arrived.Created == held.Created && string.CompareOrdinal(arrived.Id, held.Id) > 0)
            ? (arrived, held)
            : (held, arrived);
        var canceled = await gateway.CancelSubscriptionAsync(newer.Id, atPeriodEnd: false, $"billing-duplicate-cancel-{newer.Id}", cancellationToken);
        reads.Forget(newer.Id);
        if (!canceled.IsSuccess && canceled.Error!.Code != "stripe_resource_missing")
        {
            return canceled.Error;
        }

        var refund = await gateway.RefundLatestPaymentAsync(newer.Id, "duplicate", $"billing-duplicate-refund-{newer.Id}", cancellationToken);
        if (!refund.IsSuccess)
        {
            return refund.Error!;
        }

        if (older.Id == arrived.Id)
        {
            account.ApplySubscription(arrivedSnapshot, observedAt);
        }

        var detail = $"A second live subscription {newer.Id} was found beside {older.Id}; {newer.Id} was canceled at once and " +
            (refund.Value is { } refundId ? $"its payment refunded ({refundId})." : "it had collected nothing to refund.");
        history.Add(AccountHistoryEntry.Record(account.UserId, observedAt, "duplicate_subscription_canceled", detail));
        logger.LogWarning("Account {UserId}: {Detail}", account.UserId, detail);
        return detail;
    }

    private async Task<BillingAccount?> FindAccountAsync(GatewaySubscription subscription, string? fallbackUserId, string? fallbackEmail, CancellationToken cancellationToken)
    {
        if (await accounts.FindByStripeCustomerAsync(subscription.CustomerId, cancellationToken) is { } byCustomer)
        {
            return byCustomer;
        }

        var userId = subscription.Metadata.GetValueOrDefault(BillingMetadata.UserId) ?? fallbackUserId;
        return userId is null ? null : await AccountLinkedToAsync(userId, subscription.CustomerId, fallbackEmail, cancellationToken);
    }

    /// <summary>The user's account, linked to this customer if it had none; null when it is linked to another one.</summary>
    public async Task<BillingAccount?> AccountLinkedToAsync(string userId, string customerId, string? email, CancellationToken cancellationToken)
    {
        var account = await accounts.GetOrOpenAsync(userId, email ?? string.Empty, cancellationToken);
        if (account.DeletedStripeCustomerId == customerId)
        {
            return account;
        }

        if (account.StripeCustomerId is null)
        {
            account = await accounts.LinkStripeCustomerAsync(userId, customerId, cancellationToken);
        }

        return account.StripeCustomerId == customerId ? account : null;
    }
}
