using Billing.Application.Common;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;

namespace Billing.Application.Accounts;

/// <summary>
/// An account in wire terms, at a moment: the one reading of <see cref="BillingAccount"/> that the status view,
/// the sync messages and the admin view all share. <see cref="AccessTier"/> is the tier that gates access now
/// (a past-due account keeps its tier only during the grace period). <see cref="SubscriptionLive"/> is false while a
/// first payment by bank debit is on its way: Lago bills nothing before the money is in.
/// </summary>
public sealed record AccountProjection(
    string UserId,
    string Email,
    long Version,
    string Tier,
    string AccessTier,
    string Status,
    bool SubscriptionLive,
    string? BillingCycle,
    string? StripeCustomerId,
    string? StripeSubscriptionId,
    DateTimeOffset? CurrentPeriodStart,
    DateTimeOffset? CurrentPeriodEnd,
    bool CancelAtPeriodEnd,
    long? Amount,
    string? Currency,
    DateTimeOffset? PastDueSince)
{
    /// <summary>The status shown while a first payment by bank debit is on its way, whatever Stripe's subscription says.</summary>
    public const string PendingPayment = "pending_payment";

    public static AccountProjection Of(BillingAccount account, DateTimeOffset now, BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(account);
        return new AccountProjection(
            account.UserId,
            account.Email,
            account.Version,
            account.Tier.Code(),
            account.EffectiveTier(now, options.PastDueGracePeriod, options.Disputes.SuspendAccess, options.Checkout.GrantsAccessWhilePending).Code(),
            account.AwaitsFirstPayment ? PendingPayment : account.Status.Code(),
            account.Status.IsLive() && !account.AwaitsFirstPayment,
            account.BillingCycle?.Code(),
            account.StripeCustomerId,
            account.StripeSubscriptionId,
            account.CurrentPeriodStart,
            account.CurrentPeriodEnd,
            account.CancelAtPeriodEnd,
            account.AmountMinor,
            account.Currency,
            account.PastDueSince);
    }
}
