using Billing.Application.Common;
using Billing.Infrastructure.Configuration;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// One pace for every Stripe request of this instance (GCRA): requests are given slots 1/rate apart, at the
/// instance's share of <c>Billing:Stripe:RequestsPerSecond</c>, so no second sees more than the pace and no idle time
/// saves up a burst. Users' requests may run up to <c>UserReserve</c> slots ahead of the schedule (pushing background
/// work back); background work takes only slots that are due, so a backlog runs at the full pace while users are
/// idle and a user's request never queues behind it. (A token bucket holding a second's worth let 40 requests through
/// in one second at 20/s, and Stripe answered 429; one holding only the reserve starved background work to 12/s.)
/// </summary>
internal sealed class StripeRequestBudget(IOptions<StripeBudgetOptions> options, BillingMetrics metrics)
{
    // Stripe counts in wall-clock seconds, whatever clock the rest of the service is given (a test's fake one).
    private static readonly TimeProvider Clock = TimeProvider.System;
    private readonly Lock _gate = new();
    private long _due = long.MinValue;

    public async ValueTask AcquireAsync(bool background, CancellationToken cancellationToken)
    {
        var started = Clock.GetTimestamp();
        while (TryTake(background) is { } wait)
        {
            await Task.Delay(wait, Clock, cancellationToken);
        }

        var waited = Clock.GetElapsedTime(started).TotalMilliseconds;
        metrics.StripeBudgetWait.Record(waited, new KeyValuePair<string, object?>("priority", background ? "background" : "user"));
    }

    /// <summary>Takes a slot and returns null, or returns how long until one is due for this caller.</summary>
    internal TimeSpan? TryTake(bool background)
    {
        var settings = options.Value;
        var rate = settings.PerInstance;
        if (rate <= 0)
        {
            return null;
        }

        var interval = (long)(Clock.TimestampFrequency / rate);
        var ahead = background ? 0 : (long)(settings.UserReserve * interval);
        lock (_gate)
        {
            var now = Clock.GetTimestamp();
            var due = Math.Max(_due, now);
            if (due - now <= ahead)
            {
                _due = due + interval;
                return null;
            }

            return TimeSpan.FromSeconds((double)(due - now - ahead) / Clock.TimestampFrequency);
        }
    }
}
