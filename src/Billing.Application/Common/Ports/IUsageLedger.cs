using Billing.Application.Common.Results;

namespace Billing.Application.Common.Ports;

/// <summary>Lago: the customer and its subscription for usage billing.</summary>
public interface IUsageLedger
{
    bool Enabled { get; }

    Task<Result<string>> PublishAsync(AccountState state, CancellationToken cancellationToken);

    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}
