using Billing.Domain.Plans;

namespace Billing.Domain.Accounts;

/// <summary>A Checkout Session opened for a user and not yet completed or expired: Stripe would let both of two such sessions be paid.</summary>
public sealed record OpenCheckout(string SessionId, Tier Tier, BillingCycle Cycle, string Url, DateTimeOffset ExpiresAt)
{
    /// <summary>Whether the session can still be paid for long enough to hand it out again.</summary>
    public bool IsUsable(DateTimeOffset now) => ExpiresAt - now > TimeSpan.FromMinutes(5);

    public bool IsFor(Tier tier, BillingCycle cycle) => Tier == tier && Cycle == cycle;
}
