using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>
/// The billing state of an account as the rest of the platform needs it; <see cref="Tier"/> is the tier that gates
/// access now. For a user, <see cref="BillingOrganizationId"/> names the organization their access comes from, when it
/// comes from one (see <c>Organizations.MemberAccess</c>).
/// </summary>
public sealed record AccountState(
    string UserId,
    string Email,
    string? Name,
    string Tier,
    string Status,
    string? BillingCycle,
    string? StripeCustomerId,
    string? StripeSubscriptionId,
    DateTimeOffset? CurrentPeriodStart,
    DateTimeOffset? CurrentPeriodEnd,
    bool SubscriptionLive,
    string? BillingOrganizationId = null,
    string? Entitlements = null)
{
    /// <summary>What Keycloak and Lago are told of an account: its projection, with the tier that gates access now.</summary>
    public static AccountState Of(Accounts.AccountProjection account, string? name)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new AccountState(
            account.UserId,
            account.Email,
            name,
            account.AccessTier,
            account.Status,
            account.BillingCycle,
            account.StripeCustomerId,
            account.StripeSubscriptionId,
            account.CurrentPeriodStart,
            account.CurrentPeriodEnd,
            account.SubscriptionLive);
    }
}
