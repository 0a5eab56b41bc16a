using Billing.Application.Common;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;

namespace Billing.Application.Accounts;

/// <summary>
/// An account in wire terms, at a moment: the one reading of <see cref="BillingAccount"/> that the status view,
/// the sync messages and the admin view all share. <see cref="AccessTier"/> is the tier that gates access now
/// (a past-due account keeps its tier only during the grace period).
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
    public static AccountProjection Of(BillingAccount account, DateTimeOffset now, BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(account);
        return new AccountProjection(
            account.UserId,
            account.Email,
            account.Version,
            account.Tier.Code(),
            account.EffectiveTier(now, options.PastDueGracePeriod, options.Disputes.SuspendAccess).Code(),
            account.Status.Code(),
            account.Status.IsLive(),
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
