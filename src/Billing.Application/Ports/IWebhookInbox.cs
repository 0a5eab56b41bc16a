using Billing.Application.Common;
using Billing.Application.Common.Messaging;

namespace Billing.Application.Ports;

/// <summary>The durable inbox of Stripe events: unique on the event id, claimed by one worker at a time.</summary>
public interface IWebhookInbox
{
    /// <summary>Stores the event unless its id is already there, and commits at once; false for a duplicate.</summary>
    Task<bool> TryAddAsync(NewInboxEvent evt, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> due events for <paramref name="worker"/> for the length of the lease. With a
    /// <paramref name="gather"/> window, only events received at least that long ago start a lane; the younger events
    /// of the lanes claimed come along, so a subscription's events arriving within the window are applied together.
    /// </summary>
    Task<IReadOnlyList<ClaimedEvent>> ClaimDueAsync(string worker, int max, TimeSpan lease, TimeSpan gather, CancellationToken cancellationToken);

    /// <summary>The event while <paramref name="worker"/> holds its claim and it is still pending; null otherwise.</summary>
    Task<InboxEntry?> FindClaimedAsync(string id, string worker, CancellationToken cancellationToken);

    /// <summary>Loads these events in one read, so that <see cref="FindClaimedAsync"/> finds each of them without another (it still checks the claim).</summary>
    Task LoadAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the claimed event processed and releases its claim, as part of the command's unit of work: it commits
    /// with the account change, and not at all if another worker took the claim over meanwhile.
    /// </summary>
    Task CompleteAsync(string id, string worker, string outcome, DateTimeOffset processedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Extends every claim <paramref name="worker"/> still holds to a lease from now: the worker's heartbeat, so
    /// a claim can be short and a dead instance's events are taken over within seconds.
    /// </summary>
    Task RenewLeasesAsync(string worker, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt (not counted when <paramref name="countAttempt"/> is false: Stripe only asked to slow down): due again after <paramref name="retryAt"/>, or parked when it is null.</summary>
    Task RecordFailureAsync(string id, string worker, string error, DateTimeOffset? retryAt, bool countAttempt, CancellationToken cancellationToken);

    Task<IReadOnlyList<InboxEntry>> ListAsync(InboxStatus? status, int limit, CancellationToken cancellationToken);

    /// <summary>The stored event, whatever its state; null when there is none.</summary>
    Task<InboxEntry?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Puts a failed or processed event back in line; false when there is no such event.</summary>
    Task<bool> ReplayAsync(string id, CancellationToken cancellationToken);
}
