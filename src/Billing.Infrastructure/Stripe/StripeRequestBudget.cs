using Billing.Application.Common;
using Billing.Infrastructure.Configuration;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// One token bucket for every Stripe request of this instance: it refills at the instance's share of
/// <c>Billing:Stripe:RequestsPerSecond</c> and holds only the user reserve and one more, so no second ever sees more
/// than the pace plus that small burst (a second's worth in the bucket let 40 requests through in one second at 20/s,
/// and Stripe answered 429). Users' requests take any token; background
/// work takes one only while more than the user reserve is left, so it runs at the full pace when users are idle
/// and a user's request never queues behind a backlog.
/// </summary>
internal sealed class StripeRequestBudget(IOptions<StripeBudgetOptions> options, BillingMetrics metrics)
{
    // Stripe counts in wall-clock seconds, whatever clock the rest of the service is given (a test's fake one).
    private static readonly TimeProvider Clock = TimeProvider.System;

    private readonly Lock _gate = new();
    private double _tokens = -1;
    private long _refilledAt;

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

    /// <summary>Takes a token and returns null, or returns how long until one may be taken.</summary>
    internal TimeSpan? TryTake(bool background)
    {
        var settings = options.Value;
        var rate = settings.PerInstance;
        if (rate <= 0)
        {
            return null;
        }

        var capacity = Math.Max(1, Math.Min(rate, settings.UserReserve + 1));
        var floor = background ? capacity - 1 : 0;
        lock (_gate)
        {
            var now = Clock.GetTimestamp();
            _tokens = _tokens < 0 ? capacity : Math.Min(capacity, _tokens + (Clock.GetElapsedTime(_refilledAt, now).TotalSeconds * rate));
            _refilledAt = now;
            if (_tokens - 1 >= floor)
            {
                _tokens -= 1;
                return null;
            }

            return TimeSpan.FromSeconds((floor + 1 - _tokens) / rate);
        }
    }
}
