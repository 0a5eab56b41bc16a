namespace Billing.Domain.Plans;

/// <summary>Stripe's full set of subscription statuses, plus <see cref="None"/> for an account that never subscribed.</summary>
public enum SubscriptionStatus
{
    None = 0,
    Incomplete,
    IncompleteExpired,
    Trialing,
    Active,
    PastDue,
    Canceled,
    Unpaid,
    Paused,
}
