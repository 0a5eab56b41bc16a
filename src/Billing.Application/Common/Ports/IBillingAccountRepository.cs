using Billing.Domain.Accounts;

namespace Billing.Application.Common.Ports;

public interface IBillingAccountRepository
{
    Task<BillingAccount?> FindAsync(string userId, CancellationToken cancellationToken);

    Task<BillingAccount?> FindByStripeCustomerAsync(string customerId, CancellationToken cancellationToken);

    /// <summary>Returns the user's account, creating it if absent; safe when two requests race to create it.</summary>
    Task<BillingAccount> GetOrOpenAsync(string userId, string email, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> ListUserIdsAsync(CancellationToken cancellationToken);
}
