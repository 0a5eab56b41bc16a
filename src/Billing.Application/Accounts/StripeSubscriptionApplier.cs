using Billing.Application.Common;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;
using Billing.Domain.Common;
using Billing.Domain.Plans;
using Microsoft.Extensions.Logging;

namespace Billing.Application.Accounts;

/// <summary>
/// Brings an account to what Stripe says of one of its subscriptions: the one path by which webhooks and
/// reconciliation change an account's subscription. An event's own snapshot is applied when Stripe created it after
/// everything the account reflects (<see cref="BillingAccount.ApplyReported"/>); Stripe is read (once per lane, see
/// <see cref="SubscriptionReads"/>) only when the event cannot say: two different reports of the same second, an
/// event in another API version, a discount the account has no terms for.
/// </summary>
public sealed class StripeSubscriptionApplier(
    IBillingAccountRepository accounts,
    ISubscriptionGateway gateway,
    SubscriptionReads reads,
    SubscriptionTranslator translator,
    IInvoiceBook invoiceBook,
    IAccountHistory history,
    ILogger<StripeSubscriptionApplier> logger)
{
    /// <summary>
    /// Applies the subscription as an event created at <paramref name="createdAt"/> carried it
    /// (<paramref name="reported"/>; null when the event could not be read in this service's API version).
    /// </summary>
    public async Task<Result<string>> ApplyReportedAsync(
        string subscriptionId, GatewaySubscription? reported, DateTimeOffset createdAt, string? fallbackUserId, CancellationToken cancellationToken)
    {
        if (reported is null)
        {
            return await ApplyAsync(SubscriptionReadReason.OtherApiVersion, subscriptionId, fallbackUserId, null, cancellationToken);
        }

        var read = await ReadInAsync(reported, fallbackUserId, null, cancellationToken);
        if (read.Answer is { } answer)
        {
            return answer;
        }

        var account = read.Account!;
        var snapshot = await CompletedAsync(read.Snapshot!, reported, account, cancellationToken);
        if (snapshot is null)
        {
            return await ApplyAsync(SubscriptionReadReason.DiscountUnknown, subscriptionId, fallbackUserId, null, cancellationToken);
        }

        if (snapshot.Status.IsLive() && account.HasLiveSubscription && account.StripeSubscriptionId != reported.Id)
        {
            return await EndDuplicateAsync(account, reported, snapshot, createdAt, cancellationToken);
        }

        return account.ApplyReported(snapshot, createdAt) switch
        {
            ReportOutcome.Applied => $"Account {account.UserId} is now {account.Tier.ToString().ToLowerInvariant()} / {snapshot.Status} from {subscriptionId} as of {createdAt:O}.",
            ReportOutcome.Older => $"This report of {subscriptionId} was created at {createdAt:O}, before what account {account.UserId} reflects ({account.LastStripeEventAt:O}); recorded, nothing changed.",
            ReportOutcome.Undecided => await ApplyAsync(SubscriptionReadReason.SameSecond, subscriptionId, fallbackUserId, null, cancellationToken),
            _ => $"Account {account.UserId} already reflects {subscriptionId}; nothing changed.",
        };
    }

    /// <summary>
    /// What an event cannot carry, filled in: the latest invoice from the invoice book (or as the account holds it, for
    /// the same invoice), and the discount's terms as the account holds them. Null when the event names a discount the
    /// account has no terms for.
    /// </summary>
    private async Task<SubscriptionSnapshot?> CompletedAsync(SubscriptionSnapshot snapshot, GatewaySubscription reported, BillingAccount account, CancellationToken cancellationToken)
    {
        var held = reported.Id == account.StripeSubscriptionId;
        var discountIds = reported.DiscountIds ?? [];
        if (discountIds.Count > 0)
        {
            if (!held || account.Discount?.DiscountId is not { } known || !discountIds.Contains(known))
            {
                return null;
            }

            snapshot = snapshot with { Discount = account.Discount };
        }

        if (reported.LatestInvoiceId is not { } invoiceId)
        {
            return snapshot;
        }

        if (await invoiceBook.FindAsync(invoiceId, cancellationToken) is { } invoice)
        {
            return snapshot with { OpenInvoice = BillingAccount.OpenInvoiceOf(invoice), LatestInvoiceTotal = invoice.Total, LatestInvoiceTax = invoice.Tax };
        }

        // Not in the book yet: its own events will bring it (BillingAccount.NoteInvoice).
        return held && account.LatestInvoiceId == invoiceId
            ? snapshot with { OpenInvoice = account.OpenInvoice, LatestInvoiceTotal = account.LatestInvoiceTotal, LatestInvoiceTax = account.LatestInvoiceTax }
            : snapshot;
    }

    /// <summary>Reads the subscription from Stripe (counted by <paramref name="reason"/>) and applies it as of Stripe's answer.</summary>
    public async Task<Result<string>> ApplyAsync(
        SubscriptionReadReason reason, string subscriptionId, string? fallbackUserId, string? fallbackEmail, CancellationToken cancellationToken)
    {
        var fetched = await reads.GetAsync(subscriptionId, reason, cancellationToken);
        if (!fetched.IsSuccess)
        {
            return fetched.Error!;
        }

        var (subscription, observedAt, fresh) = fetched.Value;
        var read = await ReadInAsync(subscription, fallbackUserId, fallbackEmail, cancellationToken);
        if (read.Answer is { } answer)
        {
            return answer;
        }

        var (account, snapshot) = (read.Account!, read.Snapshot!);
        if (snapshot.Status.IsLive() && account.HasLiveSubscription && account.StripeSubscriptionId != subscription.Id)
        {
            return await EndDuplicateAsync(account, subscription, snapshot, observedAt, cancellationToken);
        }

        var applied = fresh ? account.ApplyAnswer(snapshot, observedAt) : account.ApplySubscription(snapshot, observedAt);
        return applied
            ? $"Account {account.UserId} is now {account.Tier.ToString().ToLowerInvariant()} / {snapshot.Status} from {subscriptionId} (read from Stripe: {SnakeCase.Of(reason.ToString())})."
            : $"Account {account.UserId} already reflects {subscriptionId}; nothing changed.";
    }

    /// <summary>
    /// A second live subscription for a user who has one (two sessions both paid, S3): the newer one is canceled at
    /// once and what it collected is refunded, and the account keeps (or moves to) the older one.
    /// </summary>
    private async Task<Result<string>> EndDuplicateAsync(BillingAccount account, GatewaySubscription arrived, SubscriptionSnapshot arrivedSnapshot, DateTimeOffset observedAt, CancellationToken cancellationToken)
    {
        var heldFetch = await reads.GetAsync(account.StripeSubscriptionId!, SubscriptionReadReason.Duplicate, cancellationToken);
        if (!heldFetch.IsSuccess)
        {
            return heldFetch.Error!;
        }

        var held = heldFetch.Value.Subscription;
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

    /// <summary>The account a subscription belongs to, and the subscription in catalog terms; or the answer when neither can be had.</summary>
    private async Task<(BillingAccount? Account, SubscriptionSnapshot? Snapshot, Result<string>? Answer)> ReadInAsync(
        GatewaySubscription subscription, string? fallbackUserId, string? fallbackEmail, CancellationToken cancellationToken)
    {
        var account = await FindAccountAsync(subscription, fallbackUserId, fallbackEmail, cancellationToken);
        if (account is null)
        {
            return (null, null, Error.NotFound("account_not_found", $"No account is linked to Stripe customer {subscription.CustomerId} yet."));
        }

        if (subscription.CustomerId == account.DeletedStripeCustomerId)
        {
            return (null, null, $"Customer {subscription.CustomerId} of account {account.UserId} was deleted; {subscription.Id} changes nothing.");
        }

        var snapshot = translator.Translate(subscription);
        return snapshot.IsSuccess ? (account, snapshot.Value, null) : (null, null, snapshot.Error!);
    }

    private async Task<BillingAccount?> FindAccountAsync(GatewaySubscription subscription, string? fallbackUserId, string? fallbackEmail, CancellationToken cancellationToken)
    {
        if (await accounts.FindByStripeCustomerAsync(subscription.CustomerId, cancellationToken) is { } byCustomer)
        {
            return byCustomer;
        }

        var userId = BillingMetadata.AccountKeyOf(subscription.Metadata) ?? fallbackUserId;
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
