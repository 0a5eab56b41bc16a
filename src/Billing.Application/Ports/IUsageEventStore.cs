using Billing.Application.Common;
using Billing.Application.Usage;

namespace Billing.Application.Ports;

/// <summary>
/// The usage events accepted from trusted services, each kept once by its transaction id and delivered to Lago
/// from here (the store is their outbox): claimed under a lease, completed, retried, or parked.
/// </summary>
public interface IUsageEventStore
{
    /// <summary>Stores the events whose transaction ids are new; returns those ids (the others were accepted before).</summary>
    Task<IReadOnlySet<string>> AcceptAsync(IReadOnlyList<UsageEvent> events, DateTimeOffset acceptedAt, CancellationToken cancellationToken);

    Task<IReadOnlyList<ClaimedUsageEvent>> ClaimDueAsync(string worker, int max, TimeSpan lease, CancellationToken cancellationToken);

    Task RenewLeasesAsync(string worker, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Marks events delivered, as long as this worker still holds them.</summary>
    Task CompleteAsync(IReadOnlyCollection<string> transactionIds, string worker, DateTimeOffset deliveredAt, CancellationToken cancellationToken);

    /// <summary>Parks events Lago refuses for good, with its reason, for an operator to look at.</summary>
    Task ParkAsync(IReadOnlyDictionary<string, string> reasons, string worker, CancellationToken cancellationToken);

    Task RecordFailureAsync(IReadOnlyCollection<long> ids, string worker, string error, DateTimeOffset? retryAt, bool countAttempt, CancellationToken cancellationToken);

    /// <summary>How many accepted events wait for delivery (a gauge for operators).</summary>
    Task<int> CountPendingAsync(CancellationToken cancellationToken);
}
