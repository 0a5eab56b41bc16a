using System.Diagnostics.Metrics;
using Billing.Application.Common;
using Billing.Application.Common.Messaging;
using Billing.Infrastructure.Persistence;
using Billing.Infrastructure.Persistence.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Billing.Infrastructure.Messaging;

/// <summary>
/// The gauges an on-call engineer alerts on, read from the database every 15 s (a scrape reads the last reading,
/// never the database): what waits and what is parked in the inbox, the outbox and the usage outbox, and how old
/// the oldest waiting item is. They count every instance's work, since the tables are shared.
/// </summary>
internal sealed class BacklogGauges : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(15);
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly ILogger<BacklogGauges> _logger;
    private readonly Meter _meter = new(BillingMetrics.MeterName);
    private volatile Reading _last = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public BacklogGauges(IServiceScopeFactory scopes, TimeProvider clock, ILogger<BacklogGauges> logger)
    {
        _scopes = scopes;
        _clock = clock;
        _logger = logger;
        _meter.CreateObservableGauge("billing.webhooks.pending", () => _last.EventsPending, description: "Stripe events waiting to be processed.");
        _meter.CreateObservableGauge("billing.webhooks.parked", () => _last.EventsParked, description: "Stripe events parked after failing for good (replay them).");
        _meter.CreateObservableGauge("billing.webhooks.oldest_pending_age", () => _last.OldestEventSeconds, unit: "s", description: "Age of the oldest Stripe event waiting: the processing lag.");
        _meter.CreateObservableGauge("billing.sync.pending", () => _last.SyncPending, description: "Keycloak, Lago and e-mail deliveries waiting.");
        _meter.CreateObservableGauge("billing.sync.parked", () => _last.SyncParked, description: "Deliveries parked with their reason (replay them).");
        _meter.CreateObservableGauge("billing.sync.oldest_pending_age", () => _last.OldestSyncSeconds, unit: "s", description: "Age of the oldest delivery waiting.");
        _meter.CreateObservableGauge("billing.usage.pending", () => _last.UsagePending, description: "Usage events accepted and not yet in Lago.");
        _meter.CreateObservableGauge("billing.usage.parked", () => _last.UsageParked, description: "Usage events Lago refused, or out of attempts.");
        _meter.CreateObservableGauge("billing.usage.oldest_pending_age", () => _last.OldestUsageSeconds, unit: "s", description: "Age of the oldest usage event not yet in Lago.");
    }

    public override void Dispose()
    {
        _meter.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, _clock);
        do
        {
            try
            {
                _last = await ReadAsync(stoppingToken);
            }
            catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                // The gauges keep their last reading; readiness reports the database itself.
                _logger.LogWarning("Reading the backlog gauges failed: {ErrorType}", e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<Reading> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var now = _clock.GetUtcNow();
        double Age(DateTimeOffset? since) => since is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0;
        var events = db.StripeEvents.AsNoTracking();
        var sync = db.SyncMessages.AsNoTracking();
        var usage = db.UsageEvents.AsNoTracking();
        return new Reading(
            await events.CountAsync(e => e.Status == InboxStatus.Pending, cancellationToken),
            await events.CountAsync(e => e.Status == InboxStatus.Failed, cancellationToken),
            Age(await events.Where(e => e.Status == InboxStatus.Pending).OrderBy(e => e.ReceivedAt).Select(e => (DateTimeOffset?)e.ReceivedAt).FirstOrDefaultAsync(cancellationToken)),
            await sync.CountAsync(m => m.Status == SyncStatus.Pending, cancellationToken),
            await sync.CountAsync(m => m.Status == SyncStatus.Parked, cancellationToken),
            Age(await sync.Where(m => m.Status == SyncStatus.Pending).OrderBy(m => m.CreatedAt).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(cancellationToken)),
            await usage.CountAsync(u => u.Status == UsageEventRecord.Pending, cancellationToken),
            await usage.CountAsync(u => u.Status == UsageEventRecord.Parked, cancellationToken),
            Age(await usage.Where(u => u.Status == UsageEventRecord.Pending).OrderBy(u => u.Id).Select(u => (DateTimeOffset?)u.AcceptedAt).FirstOrDefaultAsync(cancellationToken)));
    }

    private sealed record Reading(int EventsPending, int EventsParked, double OldestEventSeconds, int SyncPending, int SyncParked, double OldestSyncSeconds, int UsagePending, int UsageParked, double OldestUsageSeconds);
}
