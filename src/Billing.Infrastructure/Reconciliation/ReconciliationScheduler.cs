using Billing.Application.Admin.Reconcile;
using Billing.Application.Ports;
using Billing.Infrastructure.Configuration;
using Billing.Infrastructure.Messaging;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Reconciliation;

/// <summary>
/// Runs a full reconciliation at every multiple of <see cref="ReconciliationOptions.Interval"/> (midnight UTC by
/// default). Every instance wakes; the one that claims the run's slot in the database runs it, the others sleep
/// on. Timed by the wall clock, never the application's clock, so a clock moved in a test starts no run.
/// </summary>
internal sealed class ReconciliationScheduler(IServiceScopeFactory scopes, IOptions<ReconciliationOptions> options, ILogger<ReconciliationScheduler> logger) : BackgroundService
{
    private static readonly TimeProvider Wall = TimeProvider.System;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Interval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = Wall.GetUtcNow();
            var slot = now.ToUnixTimeMilliseconds() / (long)interval.TotalMilliseconds + 1;
            var due = DateTimeOffset.FromUnixTimeMilliseconds(slot * (long)interval.TotalMilliseconds);
            await Task.Delay(due - now, Wall, stoppingToken);
            try
            {
                await RunAsync($"scheduled:{slot}", stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next slot tries again; an operator sees the failure here and in GET /admin/reconcile/last.
                logger.LogError(e, "Scheduled reconciliation {Slot} failed", slot);
            }
        }
    }

    private async Task RunAsync(string slot, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();

        // Background work: its Stripe calls leave users their reserve, its commits need no flush (a lost one runs again).
        scope.ServiceProvider.GetRequiredService<Persistence.ScopeRole>().Worker = true;
        if (!await scope.ServiceProvider.GetRequiredService<IReconciliationLog>().TryClaimScheduledRunAsync(slot, cancellationToken))
        {
            return;
        }

        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new RunReconciliation(null, DryRun: false, "scheduled"), cancellationToken);
        if (!result.IsSuccess)
        {
            logger.LogWarning("Scheduled reconciliation {Slot} could not run: {Reason}", slot, result.Error!.Detail);
        }
    }
}
