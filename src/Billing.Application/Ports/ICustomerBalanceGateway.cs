using Billing.Application.Common.Results;

namespace Billing.Application.Ports;

/// <summary>The payment provider's customer balance. Adapters map SDK types to this port's records; none cross it.</summary>
public interface ICustomerBalanceGateway
{
    /// <summary>Credits <paramref name="amount"/> (minor units, positive) to the customer's balance, once per key.</summary>
    Task<Result<GatewayBalanceTransaction>> CreditAsync(string customerId, long amount, string currency, string reason, string idempotencyKey, CancellationToken cancellationToken);
}
