using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Usage;

namespace Billing.Application.Ports;

/// <summary>Lago: the customer and its subscription for usage billing, and the usage events billed on it.</summary>
public interface IUsageLedger
{
    bool Enabled { get; }

    Task<Result<string>> PublishAsync(AccountState state, CancellationToken cancellationToken);

    /// <summary>Where Lago's customer and subscription differ from <paramref name="state"/> (none when they agree).</summary>
    Task<Result<IReadOnlyList<SyncDrift>>> CompareAsync(AccountState state, CancellationToken cancellationToken);

    Task<bool> IsReachableAsync(CancellationToken cancellationToken);

    /// <summary>Sends up to <see cref="MaxEventsPerBatch"/> usage events; Lago keeps each once per subscription and transaction id.</summary>
    Task<Result<UsageDelivery>> SendEventsAsync(IReadOnlyList<UsageEvent> events, CancellationToken cancellationToken);

    /// <summary>Lago's batch limit.</summary>
    const int MaxEventsPerBatch = 100;
}
