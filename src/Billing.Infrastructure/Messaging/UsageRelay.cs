using Billing.Application.Common;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Usage.Deliver;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Messaging;

/// <summary>
/// Delivers accepted usage events to Lago in batches of up to 100, oldest first, under leases that several
/// instances share. A batch that fails waits and is sent again (Lago counts each event once); nothing Lago has
/// not refused for good is ever dropped.
/// </summary>
internal sealed class UsageRelay(
    IServiceScopeFactory scopes,
    UsageSignal signal,
    IOptionsMonitor<WorkerOptions> options,
    TimeProvider clock,
    BillingMetrics metrics,
    ILogger<UsageRelay> logger) : LeasedWorker<ClaimedUsageBatch>(scopes, signal, options, OptionsName, clock, logger)
{
    public const string OptionsName = "Usage";

    protected override string ItemName => "Usage batch";

    protected override async Task<IReadOnlyList<ClaimedUsageBatch>> ClaimAsync(IServiceProvider services, WorkerOptions settings, TimeSpan gather, CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<IUsageLedger>().Enabled)
        {
            return [];
        }

        var claimed = await services.GetRequiredService<IUsageEventStore>().ClaimDueAsync(Worker, settings.BatchSize * IUsageLedger.MaxEventsPerBatch, settings.Lease, cancellationToken);
        return claimed.Chunk(IUsageLedger.MaxEventsPerBatch).Select(c => new ClaimedUsageBatch(c)).ToList();
    }

    protected override async Task<Result<string>> HandleAsync(IServiceProvider services, ClaimedUsageBatch item, CancellationToken cancellationToken) =>
        await services.GetRequiredService<ISender>().Send(new DeliverUsage(item.Events, Worker), cancellationToken);

    protected override Task RenewLeasesAsync(IServiceProvider services, TimeSpan lease, CancellationToken cancellationToken) =>
        services.GetRequiredService<IUsageEventStore>().RenewLeasesAsync(Worker, lease, cancellationToken);

    protected override Task RecordFailureAsync(IServiceProvider services, ClaimedUsageBatch item, string error, DateTimeOffset? retryAt, bool countAttempt) =>
        services.GetRequiredService<IUsageEventStore>().RecordFailureAsync(item.Events.Select(e => e.Id).ToList(), Worker, error, retryAt, countAttempt, CancellationToken.None);

    protected override (object Id, int Attempts, DateTimeOffset Since) Describe(ClaimedUsageBatch item) =>
        ($"{item.Events[0].Id}..{item.Events[^1].Id}", item.Attempts, item.Since);

    protected override void CountFailure() => metrics.UsageFailed.Add(1);
}
