using Billing.Application.Common.Ports;
using Billing.Application.Common.Results;

namespace Billing.Application.Common.Accounts;

/// <summary>
/// Coalesced reads: the events of one subscription claimed together form a lane, and within it the subscription is
/// read from Stripe once. Every event of the lane arrived before that read, so Stripe's newest state covers them
/// all; the read keeps its own time, so a change applied since (a user's cancel) is never overwritten by it. A
/// write to the subscription in the lane forgets the read.
/// </summary>
public static class LaneReads
{
    private static readonly AsyncLocal<Dictionary<string, (GatewaySubscription Subscription, DateTimeOffset ReadAt)>?> Current = new();

    /// <summary>Starts a lane for the rest of this async flow (a worker calls it before each lane).</summary>
    public static void Begin() => Current.Value = new(StringComparer.Ordinal);

    /// <summary>The subscription as read earlier in this lane, or read now (outside a lane, always read now).</summary>
    public static async Task<Result<(GatewaySubscription Subscription, DateTimeOffset ReadAt)>> GetAsync(
        ISubscriptionGateway gateway, string subscriptionId, TimeProvider clock, CancellationToken cancellationToken)
    {
        var lane = Current.Value;
        if (lane is not null)
        {
            lock (lane)
            {
                if (lane.TryGetValue(subscriptionId, out var known))
                {
                    return known;
                }
            }
        }

        var fetched = await gateway.GetSubscriptionAsync(subscriptionId, cancellationToken);
        if (!fetched.IsSuccess)
        {
            return fetched.Error!;
        }

        var read = (fetched.Value, clock.GetUtcNow());
        if (lane is not null)
        {
            lock (lane)
            {
                lane[subscriptionId] = read;
            }
        }

        return read;
    }

    public static void Forget(string subscriptionId)
    {
        if (Current.Value is { } lane)
        {
            lock (lane)
            {
                lane.Remove(subscriptionId);
            }
        }
    }
}
