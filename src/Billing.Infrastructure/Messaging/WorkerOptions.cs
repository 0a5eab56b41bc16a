namespace Billing.Infrastructure.Messaging;

/// <summary>How a background worker retries (section <c>Billing:Webhooks</c> for the inbox, <c>Billing:Sync</c> for the outbox).</summary>
public sealed class WorkerOptions
{
    /// <summary>False for an instance that only receives (the work is then left to other instances).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Attempts before an item that fails unexpectedly (an exception of ours) is parked for an admin to replay.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>
    /// How long an item whose counterpart is out of reach or busy keeps being retried, counted from when it arrived:
    /// three days, as Stripe retries its own webhooks. Such a failure never parks an item sooner.
    /// </summary>
    public TimeSpan RetryHorizon { get; set; } = TimeSpan.FromDays(3);

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the worker looks for due work when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public int BatchSize { get; set; } = 32;

    /// <summary>
    /// How many lanes (for the inbox: subscriptions) one instance works on at once. Lanes mostly wait (on Stripe's
    /// pace, on a counterpart), so there are many: with 8, every lane sat waiting for a Stripe read on renewal day
    /// while events already covered by a read queued behind them.
    /// </summary>
    public int Parallelism { get; set; } = 32;

    /// <summary>
    /// Receipts per second (over the last half second, on this instance) above which the inbox gathers: a lane is
    /// claimed only once its oldest event waited <see cref="GatherFor"/>, so a burst's events of one subscription are
    /// applied in one unit of work instead of one each. Zero never gathers. Only the inbox (<c>Billing:Webhooks</c>)
    /// reads it, and <see cref="YieldAbove"/>.
    /// </summary>
    public int GatherAbove { get; set; } = 400;

    /// <summary>How long a lane's first event waits for more of its subscription while the inbox gathers.</summary>
    public TimeSpan GatherFor { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Receipts per second above which receipt comes first: processing leaves the cores to answering Stripe and
    /// claims only events that waited <see cref="YieldFor"/>, then catches up when the burst ends (a burst of
    /// webhooks is accepted at the store's pace, not at the pace of applying them). Zero never yields.
    /// </summary>
    public int YieldAbove { get; set; } = 1_500;

    /// <summary>The longest an event waits while receipt comes first; after it, its lane is claimed in any case.</summary>
    public TimeSpan YieldFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a claim holds an item before another worker may take it over. Short, since the worker renews its
    /// claims every third of it while it works: a crashed instance's items are taken over within seconds.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Whether every duration and count is positive (checked when the service starts).</summary>
    public bool IsValid =>
        BaseDelay > TimeSpan.Zero && MaxDelay >= BaseDelay && PollInterval > TimeSpan.Zero && Lease > TimeSpan.Zero &&
        RetryHorizon > TimeSpan.Zero && MaxAttempts > 0 && BatchSize > 0 && Parallelism > 0 &&
        GatherAbove >= 0 && GatherFor >= TimeSpan.Zero && YieldAbove >= 0 && YieldFor >= TimeSpan.Zero;

    /// <summary>
    /// Exponential backoff with jitter, capped at <see cref="MaxDelay"/>; null when the item is to be parked: a
    /// transient failure past the <see cref="RetryHorizon"/>, any other once its attempts are spent.
    /// </summary>
    public DateTimeOffset? RetryAt(int attempts, DateTimeOffset since, DateTimeOffset now, bool transient)
    {
        if (transient ? now - since >= RetryHorizon : attempts >= MaxAttempts)
        {
            return null;
        }

        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1)));
        var delay = (ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2);
        return now.AddMilliseconds(delay);
    }
}
