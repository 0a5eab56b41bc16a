using Billing.Domain.Accounts;
using Billing.Domain.Plans;

namespace Billing.Application.Common.Accounts;

/// <summary>What the SPA shows of a user's subscription.</summary>
public sealed record SubscriptionStatusView(
    string TierId,
    string Status,
    string? BillingCycle,
    string? SubscriptionId,
    DateTimeOffset? CurrentPeriodStart,
    DateTimeOffset? CurrentPeriodEnd,
    bool CancelAtPeriodEnd,
    long? Amount,
    string? Currency,
    string AccessTier,
    DateTimeOffset? PastDueSince)
{
    public static SubscriptionStatusView Of(BillingAccount account, DateTimeOffset now, TimeSpan pastDueGrace)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new SubscriptionStatusView(
            account.Tier.Code(),
            account.Status.Code(),
            account.BillingCycle?.Code(),
            account.StripeSubscriptionId,
            account.CurrentPeriodStart,
            account.CurrentPeriodEnd,
            account.CancelAtPeriodEnd,
            account.AmountMinor,
            account.Currency,
            account.EffectiveTier(now, pastDueGrace).Code(),
            account.PastDueSince);
    }
}
