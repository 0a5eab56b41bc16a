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

    /// <summary>Called at the start of each lane, in its own async flow.</summary>
    protected virtual void EnterLane()
    {
    }

    protected abstract Task<IReadOnlyList<TItem>> ClaimAsync(IServiceProvider services, WorkerOptions settings, CancellationToken cancellationToken);

    protected abstract Task<Result<string>> HandleAsync(IServiceProvider services, TItem item, CancellationToken cancellationToken);

    protected abstract Task RenewLeasesAsync(IServiceProvider services, TimeSpan lease, CancellationToken cancellationToken);

    protected abstract Task RecordFailureAsync(IServiceProvider services, TItem item, string error, DateTimeOffset? retryAt, bool countAttempt);

    protected abstract (object Id, int Attempts, DateTimeOffset Since) Describe(TItem item);

    /// <summary>Called after an item was handled; the relay uses it to hurry what waits on the same target.</summary>
    protected virtual Task OnHandledAsync(IServiceProvider services, TItem item, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>True for a failure that retrying cannot fix: the item is parked at once.</summary>
    protected virtual bool IsPermanent(Error error) => false;

    protected abstract void CountFailure();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        BackgroundWork.Enter();
        if (!options.Get(optionsName).Enabled)
        {
            logger.LogInformation("{Worker} is disabled on this instance", GetType().Name);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.Get(optionsName);
            IReadOnlyList<TItem> claimed;
            await using (var scope = WorkerScope())
            {
                claimed = await ClaimAsync(scope.ServiceProvider, settings, stoppingToken);
            }

            using (var working = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                var heartbeat = claimed.Count == 0 ? Task.CompletedTask : HeartbeatAsync(settings.Lease, working.Token);
                var lanes = claimed
                    .GroupBy(item => LaneOf(item) ?? Guid.NewGuid().ToString("N"))
                    .Select(lane => lane.OrderBy(item => Describe(item).Since).ToList());
                await Parallel.ForEachAsync(lanes, new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = stoppingToken }, async (lane, token) =>
                {
                    EnterLane();
                    foreach (var item in lane)
                    {
                        await RunOneAsync(item, settings, token);
                    }
                });
                await working.CancelAsync();
                await heartbeat;
            }

            if (claimed.Count == 0)
            {
                await signal.WaitAsync(settings.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Renews this worker's claims every third of a lease while it works on them, so a lease can be short.</summary>
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
            // The batch is done (or the service stops): nothing left to keep.
        }
    }

    private AsyncServiceScope WorkerScope()
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Persistence.ScopeRole>().Worker = true;
        return scope;
    }

    private async Task RunOneAsync(TItem item, WorkerOptions settings, CancellationToken stoppingToken)
    {
        var (id, attempts, since) = Describe(item);
        string error;
        var permanent = false;
        var transient = false;
        TimeSpan? slowDown = null;
        try
        {
            await using var scope = WorkerScope();
            var result = await HandleAsync(scope.ServiceProvider, item, stoppingToken);
            if (result.IsSuccess)
            {
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
