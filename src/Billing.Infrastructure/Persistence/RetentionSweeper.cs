using Billing.Application.Common.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;


namespace Billing.Infrastructure.Persistence;

/// <summary>Deletes finished inbox, outbox and idempotency records past their retention, so the tables stay small.</summary>
internal sealed class RetentionSweeper(BillingContextFactory contexts, IOptionsMonitor<RetentionOptions> options, TimeProvider clock, ILogger<RetentionSweeper> logger) : BackgroundService
{
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = clock.GetUtcNow();
        var events = now - settings.StripeEvents;
        var messages = now - settings.SyncMessages;
        var idempotency = now - settings.IdempotencyRecords;
        await using var db = contexts.Create();
        var deleted = await db.StripeEvents
            .Where(e => (e.Status == InboxStatus.Processed || e.Status == InboxStatus.Ignored) && e.ReceivedAt < events)
            .ExecuteDeleteAsync(cancellationToken);
        deleted += await db.SyncMessages
            .Where(m => (m.Status == SyncStatus.Delivered || m.Status == SyncStatus.Superseded) && m.CreatedAt < messages && (m.LockedUntil == null || m.LockedUntil < now))
            .ExecuteDeleteAsync(cancellationToken);
        deleted += await db.IdempotencyRecords.Where(r => r.CreatedAt < idempotency).ExecuteDeleteAsync(cancellationToken);
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var deleted = await SweepAsync(stoppingToken);
                if (deleted > 0)
                {
                    logger.LogInformation("Retention removed {Count} finished records", deleted);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Retention is housekeeping: a failed sweep is logged and tried again next interval.
                logger.LogWarning(e, "Retention sweep failed");
            }

            await Task.Delay(options.CurrentValue.Interval, clock, stoppingToken);
        }
    }
}
