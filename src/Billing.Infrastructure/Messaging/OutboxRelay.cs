using Billing.Application.Common;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.AccountSync.Deliver;
using Billing.Application.Notifications.Deliver;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Messaging;

/// <summary>
/// The outbox relay: delivers claimed messages to Keycloak, Lago and the mail server (several at once, never two of one account
/// and target); answers that retrying cannot fix are parked at once.
/// </summary>
internal sealed class OutboxRelay(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    IOptionsMonitor<WorkerOptions> options,
    TimeProvider clock,
    BillingMetrics metrics,
    ILogger<OutboxRelay> logger) : LeasedWorker<ClaimedMessage>(scopes, signal, options, OptionsName, clock, logger)
{
    public const string OptionsName = "Sync";

    protected override string ItemName => "Sync message";

    private static readonly TimeSpan HurryEvery = TimeSpan.FromSeconds(1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Billing.Application.Common.Messaging.SyncTarget, DateTimeOffset> _lastHurried = new();

    protected override Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(IServiceProvider services, WorkerOptions settings, TimeSpan gather, CancellationToken cancellationToken) =>
        services.GetRequiredService<ISyncOutbox>().ClaimDueAsync(Worker, settings.BatchSize, settings.Lease, cancellationToken);

    protected override async Task<Result<string>> HandleAsync(IServiceProvider services, ClaimedMessage item, CancellationToken cancellationToken) =>
        item.Target == Billing.Application.Common.Messaging.SyncTarget.Notification
            ? await services.GetRequiredService<ISender>().Send(new DeliverNotification(item.Id, Worker), cancellationToken)
            : await services.GetRequiredService<ISender>().Send(new DeliverAccountSync(item.Id, Worker), cancellationToken);

    protected override Task RenewLeasesAsync(IServiceProvider services, TimeSpan lease, CancellationToken cancellationToken) =>
        services.GetRequiredService<ISyncOutbox>().RenewLeasesAsync(Worker, lease, cancellationToken);

    protected override Task RecordFailureAsync(IServiceProvider services, ClaimedMessage item, string error, DateTimeOffset? retryAt, bool countAttempt) =>
        services.GetRequiredService<ISyncOutbox>().RecordFailureAsync(item.Id, Worker, error, retryAt, countAttempt, CancellationToken.None);

    protected override (object Id, int Attempts, DateTimeOffset Since) Describe(ClaimedMessage item) => (item.Id, item.Attempts, item.CreatedAt);

    /// <summary>A delivery went through, so its target answers again: what waits on it after a failure is due now.</summary>
    protected override async Task OnHandledAsync(IServiceProvider services, ClaimedMessage item, CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var last = _lastHurried.GetValueOrDefault(item.Target);
        if (now - last < HurryEvery)
        {
            return;
        }

        _lastHurried[item.Target] = now;
        if (await services.GetRequiredService<ISyncOutbox>().HurryRetriesAsync(item.Target, cancellationToken) > 0)
        {
            Signal.Notify();
        }
    }

    protected override bool IsPermanent(Error error) => DeliveryFailures.IsPermanent(error);

    protected override void CountFailure() => metrics.SyncFailed.Add(1);
}
