using Billing.Application.Common;
using Billing.Application.Ports;
using Billing.Application.Common.Results;

namespace Billing.Application.Accounts;

/// <summary>
/// What a lane has already read of Stripe's subscriptions (one per scope; the inbox worker hands the same
/// <see cref="Lane"/> to every scope of one lane). The events of one lane arrived before its first read, so Stripe's
/// newest state covers them all; a read keeps its own time, so a change applied since (a user's cancel) is never
/// overwritten by it. A write to a subscription in the lane forgets its read. Outside a lane every read goes to Stripe.
/// </summary>
public sealed class SubscriptionReads(ISubscriptionGateway gateway, TimeProvider clock)
{
    /// <summary>The reads one lane shares, created by the worker for each lane.</summary>
    public sealed class Lane
    {
        internal Dictionary<string, (GatewaySubscription Subscription, DateTimeOffset ReadAt)> Known { get; } = new(StringComparer.Ordinal);
    }

    private Lane? _lane;

    /// <summary>From now on, this scope shares the reads of <paramref name="lane"/>.</summary>
    public void Join(Lane lane) => _lane = lane ?? throw new ArgumentNullException(nameof(lane));

    /// <summary>The subscription as read earlier in this lane, or read now.</summary>
    public async Task<Result<(GatewaySubscription Subscription, DateTimeOffset ReadAt)>> GetAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        var known = _lane?.Known;
        if (known is not null)
        {
            lock (known)
            {
                if (known.TryGetValue(subscriptionId, out var read))
                {
                    return read;
                }
            }
        }

        var fetched = await gateway.GetSubscriptionAsync(subscriptionId, cancellationToken);
        if (!fetched.IsSuccess)
        {
            return fetched.Error!;
        }

        var now = (fetched.Value, clock.GetUtcNow());
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
