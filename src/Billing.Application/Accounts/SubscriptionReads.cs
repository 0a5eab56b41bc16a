using Billing.Application.Common;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Common;

namespace Billing.Application.Accounts;

/// <summary>
/// What a lane has already read of Stripe's subscriptions (one per scope; the inbox worker hands the same
/// <see cref="Lane"/> to every scope of one lane). The events of one lane arrived before its first read, so Stripe's
/// newest state covers them all; a read keeps its own time, so a change applied since (a user's cancel) is never
/// overwritten by it. A write to a subscription in the lane forgets its read. Outside a lane every read goes to Stripe.
/// </summary>
public sealed class SubscriptionReads(ISubscriptionGateway gateway, TimeProvider clock, BillingMetrics metrics)
{
    /// <summary>The reads one lane shares, created by the worker for each lane.</summary>
    public sealed class Lane
    {
        internal Dictionary<string, SubscriptionRead> Known { get; } = new(StringComparer.Ordinal);
    }

    private Lane? _lane;

    /// <summary>From now on, this scope shares the reads of <paramref name="lane"/>.</summary>
    public void Join(Lane lane) => _lane = lane ?? throw new ArgumentNullException(nameof(lane));

    /// <summary>
    /// The subscription as read earlier in this lane, or read now (counted by <paramref name="reason"/>). A read is
    /// dated by Stripe's clock when it answered, so the events Stripe created before it are known to be covered.
    /// </summary>
    public async Task<Result<SubscriptionRead>> GetAsync(string subscriptionId, SubscriptionReadReason reason, CancellationToken cancellationToken)
    {
        var known = _lane?.Known;

        // Two reports of one second are settled only by what Stripe holds now, never by an earlier read of the lane.
        if (known is not null && reason != SubscriptionReadReason.SameSecond)
        {
            lock (known)
            {
                if (known.TryGetValue(subscriptionId, out var read))
                {
                    return read with { Fresh = false };
                }
            }
        }

        metrics.StripeSubscriptionReads.Add(1, new KeyValuePair<string, object?>("reason", SnakeCase.Of(reason.ToString())));
        var fetched = await gateway.GetSubscriptionAsync(subscriptionId, cancellationToken);
        if (!fetched.IsSuccess)
        {
            return fetched.Error!;
        }

        var now = new SubscriptionRead(fetched.Value, fetched.Value.ObservedAt ?? clock.GetUtcNow(), Fresh: true);
        if (known is not null)
        {
            lock (known)
            {
                known[subscriptionId] = now;
            }
        }

        return now;
    }

    /// <summary>A write to the subscription: the lane's read of it no longer holds.</summary>
    public void Forget(string subscriptionId)
    {
        if (_lane?.Known is { } known)
        {
            lock (known)
            {
                known.Remove(subscriptionId);
            }
        }
    }
}
