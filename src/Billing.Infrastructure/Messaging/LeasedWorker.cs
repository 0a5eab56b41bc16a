using Billing.Application.Common.Results;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Messaging;

/// <summary>
/// The loop shared by the inbox processor and the outbox relay: claim due items under a lease, handle each in a
/// scope of its own, and on failure schedule a retry with backoff or park the item. Idle, it waits for a signal
/// or its poll interval, whichever comes first.
/// </summary>
internal abstract class LeasedWorker<TItem>(
    IServiceScopeFactory scopes,
    WorkSignal signal,
    IOptionsMonitor<WorkerOptions> options,
    string optionsName,
    TimeProvider clock,
    ILogger logger) : BackgroundService
{
    protected string Worker { get; } = WorkSignal.WorkerName();

    protected TimeProvider Clock => clock;

    protected WorkSignal Signal => signal;

    /// <summary>What the items are, for logs: "Stripe event", "sync message".</summary>
    protected abstract string ItemName { get; }

    /// <summary>The lane of an item: items of one lane run one after another, in order; null gives an item a lane of its own.</summary>
    protected virtual string? LaneOf(TItem item) => null;

    /// <summary>What the items of one lane share (the inbox: the subscriptions read); null when nothing is shared.</summary>
    protected virtual object? NewLane() => null;

    /// <summary>Hands the lane's shared state to the scope an item of the lane runs in.</summary>
    protected virtual void JoinLane(IServiceProvider services, object lane)
    {
    }

    /// <summary>
    /// Claims due items; with a <paramref name="gather"/> window (see <see cref="GatherWindow"/>), only lanes whose
    /// oldest item waited that long.
    /// </summary>
    protected abstract Task<IReadOnlyList<TItem>> ClaimAsync(IServiceProvider services, WorkerOptions settings, TimeSpan gather, CancellationToken cancellationToken);

    /// <summary>
    /// How long a lane's first item waits for more of its lane before it is claimed; zero (the default) claims at
    /// once. The inbox gathers while a burst of webhooks lasts, so a subscription's events are applied in fewer units
    /// of work and receipt keeps the cores it needs.
    /// </summary>
    protected virtual TimeSpan GatherWindow(WorkerOptions settings) => TimeSpan.Zero;

    protected abstract Task<Result<string>> HandleAsync(IServiceProvider services, TItem item, CancellationToken cancellationToken);

    /// <summary>
    /// Handles a lane of more than one item together, all or nothing, when the worker can (null when it cannot); a
    /// lane that fails together is handled again one item at a time, so each failure is recorded on its own item.
    /// </summary>
    protected virtual Task<Result<string>>? HandleTogetherAsync(IServiceProvider services, IReadOnlyList<TItem> lane, CancellationToken cancellationToken) => null;

    protected abstract Task RenewLeasesAsync(IServiceProvider services, TimeSpan lease, CancellationToken cancellationToken);

    protected abstract Task RecordFailureAsync(IServiceProvider services, TItem item, string error, DateTimeOffset? retryAt, bool countAttempt);

    protected abstract (object Id, int Attempts, DateTimeOffset Since) Describe(TItem item);

    /// <summary>
    /// Breaks a tie between two items of a lane with the same <c>Since</c> (stamped in the same millisecond): the
    /// store's order of insertion. Without it their order was the claim's, which no query promises.
    /// </summary>
    protected virtual long Tiebreak(TItem item) => 0;

    /// <summary>Called after an item was handled; the relay uses it to hurry what waits on the same target.</summary>
    protected virtual Task OnHandledAsync(IServiceProvider services, TItem item, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>True for a failure that retrying cannot fix: the item is parked at once.</summary>
    protected virtual bool IsPermanent(Error error) => false;

    protected abstract void CountFailure();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (!options.Get(optionsName).Enabled)
        {
            logger.LogInformation("{Worker} is disabled on this instance", GetType().Name);
            return;
        }

        // Lanes run as a pipeline, not in rounds: whenever one ends, more are claimed, so one slow lane (a Stripe
        // read waiting its turn) never holds up the others, and the Stripe budget is used as fast as it allows.
        var initial = options.Get(optionsName);
        using var gate = new SemaphoreSlim(initial.Parallelism);
        using var working = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeat = HeartbeatAsync(initial.Lease, working.Token);
        // Each running lane with what was announced when it was claimed: a lane that ends after more work was
        // announced may have held some of it back (a lane's new events wait for the lane), so its end is a reason to
        // claim again.
        var running = new List<(Task Run, long Announced)>();
        Task? wake = null;

        // Whether a claim may find anything: at the start, after a signal or the poll interval, after a full claim,
        // and after a lane ends that held news back. Claiming only then keeps idle claims off the store (a claim
        // after every lane found nothing most of the time, and outnumbered the events).
        var due = true;
        // When a claim last found less than it could while gathering: the next waits a quarter of the window.
        var shortClaimAt = DateTimeOffset.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var settings = options.Get(optionsName);
                // One pass that looks at and removes each ended lane, so none is removed unseen.
                for (var i = running.Count - 1; i >= 0; i--)
                {
                    var (ended, announcedAtClaim) = running[i];
                    if (!ended.IsCompleted)
                    {
                        continue;
                    }

                    if (ended.IsFaulted)
                    {
                        // Recording an outcome failed (the database); the item's lease lapses and it is tried again.
                        logger.LogError(ended.Exception, "A {Item} lane failed", ItemName);
                    }

                    due |= announcedAtClaim != signal.Notifications;
                    running.RemoveAt(i);
                }

                var gather = GatherWindow(settings);
                var notBefore = shortClaimAt + (gather / 4);
                var deferred = gather > TimeSpan.Zero && clock.GetUtcNow() < notBefore;
                if (due && running.Count < settings.Parallelism && !deferred)
                {
                    var announced = signal.Notifications;
                    IReadOnlyList<TItem> items;
                    await using (var scope = WorkerScope())
                    {
                        items = await ClaimAsync(scope.ServiceProvider, settings, gather, stoppingToken);
                    }

                    foreach (var lane in items.GroupBy(item => LaneOf(item) ?? Guid.NewGuid().ToString("N")))
                    {
                        running.Add((RunLaneAsync(lane.OrderBy(item => Describe(item).Since).ThenBy(Tiebreak).ToList(), settings, gate, stoppingToken), announced));
                    }

                    // A claim that took all it could leaves more behind; one that took less found all there was.
                    due = items.Count >= settings.BatchSize;
                    if (due && running.Count < settings.Parallelism)
                    {
                        continue;
                    }

                    if (!due && gather > TimeSpan.Zero)
                    {
                        // Gathering, the lanes' younger items were left to wait: claim again a little later, not at
                        // every signal (one claim per receipt would be most of a burst's work), and not never. The
                        // next pass finds the claim put off and waits for its time.
                        shortClaimAt = clock.GetUtcNow();
                        due = true;
                        continue;
                    }
                }

                // Wait for a lane to end or, with room for more, for new work (the signal, else the poll interval);
                // a claim put off while gathering waits for its time instead of the signal.
                var lanes = running.Select(r => r.Run);
                if (deferred && due && running.Count < settings.Parallelism)
                {
                    // Looked at again within a tenth of a second: when the burst is over, the window closes at once.
                    var until = notBefore - clock.GetUtcNow();
                    await Task.WhenAny([.. lanes, Task.Delay(until < Recheck ? Max(until, TimeSpan.FromMilliseconds(1)) : Recheck, clock, stoppingToken)]);
                    continue;
                }

                wake ??= signal.WaitAsync(settings.PollInterval, stoppingToken);
                await Task.WhenAny(running.Count < settings.Parallelism ? [.. lanes, wake] : lanes);
                if (wake.IsCompleted)
                {
                    wake = null;
                    due = true;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: claims lapse with their leases and are taken up later, here or elsewhere.
        }
        finally
        {
            await Task.WhenAll(running.Select(r => r.Run.ContinueWith(_ => { }, TaskScheduler.Default)));
            await working.CancelAsync();
            await heartbeat;
        }
    }

    private static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(100);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private async Task RunLaneAsync(List<TItem> lane, WorkerOptions settings, SemaphoreSlim gate, CancellationToken stoppingToken)
    {
        try
        {
            await gate.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            var shared = NewLane();
            if (lane.Count > 1 && await RunTogetherAsync(lane, shared, stoppingToken))
            {
                return;
            }

            foreach (var item in lane)
            {
                await RunOneAsync(item, shared, settings, stoppingToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>True when the lane was handled together; false when it must be handled one item at a time.</summary>
    private async Task<bool> RunTogetherAsync(List<TItem> lane, object? shared, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = WorkerScope();
            if (shared is not null)
            {
                JoinLane(scope.ServiceProvider, shared);
            }

            if (HandleTogetherAsync(scope.ServiceProvider, lane, stoppingToken) is not { } together)
            {
                return false;
            }

            var result = await together;
            if (result.IsSuccess)
            {
                logger.LogDebug("{Count} {Item}s of one lane: {Outcome}", lane.Count, ItemName, result.Value);
                return true;
            }

            logger.LogInformation("A lane of {Count} {Item}s failed together ({Code}); handling them one at a time", lane.Count, ItemName, result.Error!.Code);
            return false;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Nothing of the lane was saved; one at a time, the item that throws records its own failure.
            logger.LogWarning("A lane of {Count} {Item}s threw together ({ErrorType}); handling them one at a time", lane.Count, ItemName, e.GetType().Name);
            return false;
        }
    }

    /// <summary>Renews this worker's claims every third of a lease for as long as it runs, so a lease can be short.</summary>
    private async Task HeartbeatAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(lease / 3, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await using var scope = WorkerScope();
                await RenewLeasesAsync(scope.ServiceProvider, lease, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The service stops: nothing left to keep.
        }
    }

    private AsyncServiceScope WorkerScope()
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Persistence.ScopeRole>().Worker = true;
        return scope;
    }

    private async Task RunOneAsync(TItem item, object? lane, WorkerOptions settings, CancellationToken stoppingToken)
    {
        var (id, attempts, since) = Describe(item);
        string error;
        var permanent = false;
        var transient = false;
        TimeSpan? slowDown = null;
        try
        {
            await using var scope = WorkerScope();
            if (lane is not null)
            {
                JoinLane(scope.ServiceProvider, lane);
            }

            var result = await HandleAsync(scope.ServiceProvider, item, stoppingToken);
            if (result.IsSuccess)
            {
                logger.LogDebug("{Item} {Id}: {Outcome}", ItemName, id, result.Value);
                await OnHandledAsync(scope.ServiceProvider, item, stoppingToken);
                return;
            }

            error = $"{result.Error!.Code}: {result.Error.Detail}";
            permanent = IsPermanent(result.Error);
            transient = result.Error.Kind is ErrorKind.UpstreamUnavailable or ErrorKind.RateLimited;
            slowDown = result.Error.Kind == ErrorKind.RateLimited ? result.Error.RetryAfter ?? settings.BaseDelay : null;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the claim lapses with its lease and the item is handled later, here or elsewhere.
            return;
        }
        catch (Exception e)
        {
            // The exception (its type, its text, its stack) stays in the log; the stored error is ours, and points there.
            var incident = Guid.NewGuid().ToString("N")[..12];
            transient = TransportFailures.IsUnreachable(e);
            if (transient)
            {
                logger.LogWarning("Handling {Item} {Id} could not reach a counterpart: {ErrorType}", ItemName, id, e.GetType().Name);
                error = "unreachable: A counterpart could not be reached; the item is retried.";
            }
            else
            {
                logger.LogError(e, "Handling {Item} {Id} threw (incident {Incident})", ItemName, id, incident);
                error = $"unexpected_error: Handling failed unexpectedly; the service log has the details under incident {incident}.";
            }
        }

        if (slowDown is { } wait)
        {
            // A rate limit is no failure of the item: it waits its turn again without spending an attempt.
            logger.LogInformation("{Item} {Id} deferred by a rate limit for {Wait} ms", ItemName, id, (int)wait.TotalMilliseconds);
            await using var deferScope = WorkerScope();
            await RecordFailureAsync(deferScope.ServiceProvider, item, error, clock.GetUtcNow() + wait, countAttempt: false);
            return;
        }

        var retryAt = permanent ? null : settings.RetryAt(attempts, since, clock.GetUtcNow(), transient);
        CountFailure();
        logger.LogWarning("{Item} {Id} failed (attempt {Attempt}): {Error}; {Next}", ItemName, id, attempts, error, retryAt is null ? "parked" : $"retry at {retryAt:O}");
        await using var failureScope = WorkerScope();
        await RecordFailureAsync(failureScope.ServiceProvider, item, error, retryAt, countAttempt: true);
    }
}
