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
    DateTimeOffset? PastDueSince,
    PaymentActionView? Action)
{
    public static SubscriptionStatusView Of(BillingAccount account, DateTimeOffset now, BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(options);
        return Of(AccountProjection.Of(account, now, options.PastDueGracePeriod), PaymentActionView.Of(account.PendingAction(options.PastDueGracePeriod), options));
    }

    private static SubscriptionStatusView Of(AccountProjection account, PaymentActionView? action)
    {
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
            account.PastDueSince,
            action);
    }
}
