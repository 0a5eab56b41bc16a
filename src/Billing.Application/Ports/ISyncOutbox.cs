using Billing.Application.Common;
using Billing.Application.Common.Messaging;

namespace Billing.Application.Ports;

/// <summary>The outbox of account states to deliver to Keycloak and Lago.</summary>
public interface ISyncOutbox
{
    /// <summary>Claims due messages, at most one in flight per account and target, so each account's states arrive in order.</summary>
    Task<IReadOnlyList<ClaimedMessage>> ClaimDueAsync(string worker, int max, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>The message while <paramref name="worker"/> holds its claim; null otherwise.</summary>
    Task<OutboxEntry?> FindClaimedAsync(Guid id, string worker, CancellationToken cancellationToken);

    /// <summary>
    /// Records a delivery and releases the claim. A message superseded by a newer one while in flight stays
    /// superseded (the newer one carries the state on); that is no failure.
    /// </summary>
    Task CompleteAsync(Guid id, string worker, string outcome, DateTimeOffset deliveredAt, CancellationToken cancellationToken);

    /// <summary>
    /// Extends every claim <paramref name="worker"/> still holds to a lease from now: the worker's heartbeat, so
    /// a claim can be short and a dead instance's messages are taken over within seconds.
    /// </summary>
    Task RenewLeasesAsync(string worker, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt (not counted when <paramref name="countAttempt"/> is false: Stripe only asked to slow down): due again at <paramref name="retryAt"/>, or parked when it is null.</summary>
    Task RecordFailureAsync(Guid id, string worker, string error, DateTimeOffset? retryAt, bool countAttempt, CancellationToken cancellationToken);

    Task<IReadOnlyList<OutboxEntry>> ListAsync(SyncStatus? status, string? userId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the messages of <paramref name="target"/> that wait out a backoff due now: the target answers again,
    /// so nothing should wait minutes behind a failure that is over.
    /// </summary>
    Task<int> HurryRetriesAsync(SyncTarget target, CancellationToken cancellationToken);

    /// <summary>
    /// Queues the account's state for <paramref name="target"/> again, in the caller's transaction: a target found
    /// out of step is repaired by the same relay, retries and parking as any change.
    /// </summary>
    void Resend(Billing.Domain.Accounts.BillingAccount account, SyncTarget target);

    /// <summary>Puts a parked message back in line; false when there is no such parked message.</summary>
    Task<bool> ReplayAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>How many of a target's messages are parked for one reason (the error code their last error starts with).</summary>
    Task<int> CountParkedAsync(SyncTarget target, string reason, CancellationToken cancellationToken);

    /// <summary>Puts a target's messages parked for one reason back in line, as a replay would; how many.</summary>
    Task<int> ReplayParkedAsync(SyncTarget target, string reason, CancellationToken cancellationToken);
}
