using Billing.Domain.Accounts;

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
    public static SubscriptionStatusView Of(BillingAccount account, DateTimeOffset now, TimeSpan pastDueGrace) =>
        Of(AccountProjection.Of(account, now, pastDueGrace));

    public static SubscriptionStatusView Of(AccountProjection account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new SubscriptionStatusView(
            account.Tier,
            account.Status,
            account.BillingCycle,
            account.StripeSubscriptionId,
            account.CurrentPeriodStart,
            account.CurrentPeriodEnd,
            account.CancelAtPeriodEnd,
            account.Amount,
            account.Currency,
            account.AccessTier,
            account.PastDueSince);
    }
}
