using Billing.Application.Common;
using Billing.Application.Common.Ports;
using Billing.Application.Sync.Deliver;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Messaging;

/// <summary>
/// The outbox relay: claims due messages and delivers each through the pipeline; a failure is retried with
/// exponential backoff and jitter, and parked after the last attempt, or at once when retrying cannot help.
/// </summary>
internal sealed class OutboxDispatcher(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    IOptionsMonitor<WorkerOptions> options,
    TimeProvider clock,
    BillingMetrics metrics,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    public const string OptionsName = "Sync";

    private readonly string _worker = WorkSignal.WorkerName();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (!options.Get(OptionsName).Enabled)
        {
            logger.LogInformation("Outbox delivery is disabled on this instance");
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.Get(OptionsName);
            IReadOnlyList<ClaimedMessage> claimed;
            await using (var scope = scopes.CreateAsyncScope())
            {
                claimed = await scope.ServiceProvider.GetRequiredService<ISyncOutbox>().ClaimDueAsync(_worker, settings.BatchSize, settings.Lease, stoppingToken);
            }

            await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = stoppingToken }, async (message, token) => await DeliverAsync(message, settings, token));
            if (claimed.Count == 0)
            {
                await signal.WaitAsync(settings.PollInterval, stoppingToken);
            }
        }
    }

    private async Task DeliverAsync(ClaimedMessage message, WorkerOptions settings, CancellationToken stoppingToken)
    {
        string error;
        var permanent = false;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new DeliverSyncMessage(message.Id, _worker), stoppingToken);
            if (result.IsSuccess)
            {
                return;
            }

            error = $"{result.Error!.Code}: {result.Error.Detail}";
            permanent = DeliveryFailures.IsPermanent(result.Error);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the claim lapses with its lease and the message is delivered later.
            return;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Delivering sync message {MessageId} threw", message.Id);
            error = $"{e.GetType().Name}: {e.Message}";
        }

        var retryAt = permanent ? null : settings.RetryAt(message.Attempts, clock.GetUtcNow());
        metrics.SyncFailed.Add(1);
        logger.LogWarning("Sync message {MessageId} failed (attempt {Attempt}): {Error}; {Next}", message.Id, message.Attempts, error, retryAt is null ? "parked" : $"retry at {retryAt:O}");
        await using var failureScope = scopes.CreateAsyncScope();
        await failureScope.ServiceProvider.GetRequiredService<ISyncOutbox>().RecordFailureAsync(message.Id, _worker, error, retryAt, CancellationToken.None);
    }
}

internal sealed class OutboxSignal : WorkSignal, IOutboxSignal;
