using Billing.Application.Common;
using Billing.Application.Common.Ports;
using Billing.Application.Webhooks.Process;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Messaging;

/// <summary>
/// Processes the inbox in the background: claims due events, sends each through the pipeline as a command, and
/// on failure schedules a retry with backoff or parks the event after its last attempt.
/// </summary>
internal sealed class InboxProcessor(
    IServiceScopeFactory scopes,
    InboxSignal signal,
    IOptionsMonitor<WorkerOptions> options,
    TimeProvider clock,
    BillingMetrics metrics,
    ILogger<InboxProcessor> logger) : BackgroundService
{
    public const string OptionsName = "Webhooks";

    private readonly string _worker = WorkSignal.WorkerName();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (!options.Get(OptionsName).Enabled)
        {
            logger.LogInformation("Inbox processing is disabled on this instance");
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.Get(OptionsName);
            IReadOnlyList<ClaimedEvent> claimed;
            await using (var scope = scopes.CreateAsyncScope())
            {
                claimed = await scope.ServiceProvider.GetRequiredService<IWebhookInbox>().ClaimDueAsync(_worker, settings.BatchSize, settings.Lease, stoppingToken);
            }

            foreach (var evt in claimed)
            {
                await ProcessAsync(evt, settings, stoppingToken);
            }

            if (claimed.Count == 0)
            {
                await signal.WaitAsync(settings.PollInterval, stoppingToken);
            }
        }
    }

    private async Task ProcessAsync(ClaimedEvent evt, WorkerOptions settings, CancellationToken stoppingToken)
    {
        string error;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ProcessStripeEvent(evt.Id, _worker), stoppingToken);
            if (result.IsSuccess)
            {
                return;
            }

            error = $"{result.Error!.Code}: {result.Error.Detail}";
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the claim lapses with its lease and another worker (or this one, restarted) takes it.
            return;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Processing Stripe event {EventId} threw", evt.Id);
            error = $"{e.GetType().Name}: {e.Message}";
        }

        var retryAt = settings.RetryAt(evt.Attempts, clock.GetUtcNow());
        metrics.WebhooksFailed.Add(1);
        logger.LogWarning("Stripe event {EventId} failed (attempt {Attempt}): {Error}; {Next}", evt.Id, evt.Attempts, error, retryAt is null ? "parked" : $"retry at {retryAt:O}");
        await using var failureScope = scopes.CreateAsyncScope();
        await failureScope.ServiceProvider.GetRequiredService<IWebhookInbox>().RecordFailureAsync(evt.Id, _worker, error, retryAt, CancellationToken.None);
    }
}
