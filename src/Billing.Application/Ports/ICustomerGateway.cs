using Billing.Application.Common;
using Billing.Application.Common.Results;

namespace Billing.Application.Ports;

/// <summary>The payment provider's customers. Adapters map SDK types to this port's records; none cross it.</summary>
public interface ICustomerGateway
{
    Task<Result<string>> CreateCustomerAsync(NewCustomer customer, CancellationToken cancellationToken);

    /// <summary>The ids of the account's customers; Stripe lists no deleted customer.</summary>
    Task<Result<IReadOnlySet<string>>> ListCustomerIdsAsync(CancellationToken cancellationToken);

    /// <summary>True when Stripe says the customer was deleted (or never existed).</summary>
    Task<Result<bool>> IsCustomerDeletedAsync(string customerId, CancellationToken cancellationToken);
}
