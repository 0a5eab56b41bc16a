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
/// A slot taken late keeps the schedule, so late wake-ups cost no pace. On PostgreSQL the schedule is shared by every
/// instance through the database (<see cref="SharedStripePace"/>) at the whole <c>RequestsPerSecond</c>; in memory
/// (SQLite, one instance) it is this instance's share (<c>RequestsPerSecond ÷ Instances</c>).
/// </summary>
internal sealed class StripeRequestBudget
{
    private readonly IOptions<StripeBudgetOptions> _options;
    private readonly BillingMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly SharedStripePace? _shared;
    private readonly Lock _gate = new();
    private long _due = long.MinValue;

    // Stripe counts in wall-clock seconds, whatever clock the rest of the service is given (a test's fake one).
    public StripeRequestBudget(IOptions<StripeBudgetOptions> options, BillingMetrics metrics, SharedStripePace? shared)
        : this(options, metrics, TimeProvider.System)
    {
        _shared = shared;
    }

    internal StripeRequestBudget(IOptions<StripeBudgetOptions> options, BillingMetrics metrics, TimeProvider wallClock)
    {
        _options = options;
        _metrics = metrics;
        _clock = wallClock;
    }

    public async ValueTask AcquireAsync(bool background, CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        while ((_shared is null ? TryTake(background) : await TryTakeSharedAsync(background, cancellationToken)) is { } wait)
        {
            await Task.Delay(wait, _clock, cancellationToken);
        }

        var waited = _clock.GetElapsedTime(started).TotalMilliseconds;
        _metrics.StripeBudgetWait.Record(waited, new KeyValuePair<string, object?>("priority", background ? "background" : "user"));
    }

    private Task<TimeSpan?> TryTakeSharedAsync(bool background, CancellationToken cancellationToken)
    {
        var settings = _options.Value;
        return settings.RequestsPerSecond <= 0
            ? Task.FromResult<TimeSpan?>(null)
            : _shared!.TryTakeAsync(settings.RequestsPerSecond, settings.UserReserve, background, cancellationToken);
    }

    /// <summary>Takes a slot and returns null, or returns how long until one is due for this caller.</summary>
    internal TimeSpan? TryTake(bool background)
    {
        var settings = _options.Value;
        var rate = settings.PerInstance;
        if (rate <= 0)
        {
            return null;
        }

        var interval = (long)(_clock.TimestampFrequency / rate);
        var ahead = background ? 0 : (long)(settings.UserReserve * interval);
        lock (_gate)
        {
            var now = _clock.GetTimestamp();

            // A waiter wakes a little after its slot (timers, a busy thread pool): a slot missed by less than one
            // interval keeps its place in the schedule, or every late wake-up would lose its lateness and the pace
            // fall well below the rate (14 instead of 20 a second on renewal day). After idle time the schedule
            // starts again from now: nothing is saved up.
            var due = _due >= now - interval ? _due : now;
            if (due - now <= ahead)
            {
                _due = due + interval;
                return null;
            }

            return TimeSpan.FromSeconds((double)(due - now - ahead) / _clock.TimestampFrequency);
        }
    }
}
