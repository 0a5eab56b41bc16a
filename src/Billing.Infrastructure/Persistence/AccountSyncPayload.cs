using Billing.Domain.Accounts;

namespace Billing.Infrastructure.Persistence;

/// <summary>The account state a sync message was written for, kept for the admin view and audits.</summary>
internal static class AccountSyncPayload
{
    public static string Serialize(BillingAccount account) => System.Text.Json.JsonSerializer.Serialize(new
    {
        user_id = account.UserId,
        version = account.Version,
        tier = account.Tier.ToString().ToLowerInvariant(),
        status = account.Status.ToString(),
        stripe_customer_id = account.StripeCustomerId,
        stripe_subscription_id = account.StripeSubscriptionId,
        current_period_start = account.CurrentPeriodStart,
        current_period_end = account.CurrentPeriodEnd,
    });
}
