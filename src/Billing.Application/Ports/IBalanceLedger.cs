using Billing.Domain.Accounts;

namespace Billing.Application.Ports;

/// <summary>The credits operators granted, kept with the change that made them.</summary>
public interface IBalanceLedger
{
    void Add(BalanceCredit credit);

    Task<bool> HasAsync(string transactionId, CancellationToken cancellationToken);

    Task<IReadOnlyList<BalanceCredit>> ListAsync(string userId, int limit, CancellationToken cancellationToken);
}
