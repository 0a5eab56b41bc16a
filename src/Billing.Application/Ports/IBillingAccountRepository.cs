using Billing.Application.Common;
using Billing.Domain.Accounts;

namespace Billing.Application.Ports;

public interface IBillingAccountRepository
{
    Task<BillingAccount?> FindAsync(string userId, CancellationToken cancellationToken);

    Task<BillingAccount?> FindByStripeCustomerAsync(string customerId, CancellationToken cancellationToken);

    /// <summary>The accounts with a live subscription in this currency, read-only: what revenue is computed from.</summary>
    Task<IReadOnlyList<BillingAccount>> LiveInCurrencyAsync(string currency, CancellationToken cancellationToken);

    /// <summary>For each of these users who has a live subscription, its Stripe id (read only, one query).</summary>
    Task<IReadOnlyDictionary<string, string>> LiveSubscriptionsAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);

    /// <summary>Every account with its Stripe customer (read only, one query).</summary>
    Task<IReadOnlyList<AccountLink>> ListLinksAsync(CancellationToken cancellationToken);

    /// <summary>Returns the user's account, creating it if absent; safe when two requests race to create it.</summary>
    Task<BillingAccount> GetOrOpenAsync(string userId, string email, CancellationToken cancellationToken);

    /// <summary>
    /// Links a Stripe customer to the account unless one is linked already; returns the account with whichever
    /// customer won, so a race between two first requests cannot leave two links.
    /// </summary>
    Task<BillingAccount> LinkStripeCustomerAsync(string userId, string customerId, CancellationToken cancellationToken);
}
