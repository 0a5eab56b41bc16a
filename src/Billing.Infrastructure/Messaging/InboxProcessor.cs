using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Process;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Messaging;

/// <summary>
/// Processes the inbox in the background: the events of one subscription claimed together form a lane, applied in
/// order in one unit of work (<see cref="ProcessStripeEventLane"/>; one event at a time with
/// <see cref="ProcessStripeEvent"/> when the lane fails together), with at most one read of Stripe
/// (<see cref="SubscriptionReads"/>, shared by the lane's scopes); lanes run in parallel (<c>Billing:Webhooks:Parallelism</c>).
/// </summary>
internal sealed class InboxProcessor(
    IServiceScopeFactory scopes,
    InboxSignal signal,
    ReceiptRate receipts,
    IOptionsMonitor<WorkerOptions> options,
    TimeProvider clock,
    BillingMetrics metrics,
    ILogger<InboxProcessor> logger) : LeasedWorker<ClaimedEvent>(scopes, signal, options, OptionsName, clock, logger)
{
    public const string OptionsName = "Webhooks";

    protected override string ItemName => "Stripe event";

    protected override string? LaneOf(ClaimedEvent item) => item.OrderingKey;

    protected override object? NewLane() => new SubscriptionReads.Lane();

    protected override void JoinLane(IServiceProvider services, object lane) =>
        services.GetRequiredService<SubscriptionReads>().Join((SubscriptionReads.Lane)lane);

    protected override Task<IReadOnlyList<ClaimedEvent>> ClaimAsync(IServiceProvider services, WorkerOptions settings, TimeSpan gather, CancellationToken cancellationToken) =>
        services.GetRequiredService<IWebhookInbox>().ClaimDueAsync(Worker, settings.BatchSize, settings.Lease, gather, cancellationToken);

    protected override TimeSpan GatherWindow(WorkerOptions settings) => GatherWindow(settings, receipts.PerSecond);

    /// <summary>The window for a receipt rate: none, gathering, or receipt first.</summary>
    internal static TimeSpan GatherWindow(WorkerOptions settings, double receiptsPerSecond) =>
        settings.YieldAbove > 0 && receiptsPerSecond > settings.YieldAbove ? settings.YieldFor
        : settings.GatherAbove > 0 && receiptsPerSecond > settings.GatherAbove ? settings.GatherFor
        : TimeSpan.Zero;

    protected override async Task<Result<string>> HandleAsync(IServiceProvider services, ClaimedEvent item, CancellationToken cancellationToken) =>
        await services.GetRequiredService<ISender>().Send(new ProcessStripeEvent(item.Id, Worker), cancellationToken);

    protected override Task<Result<string>> HandleTogetherAsync(IServiceProvider services, IReadOnlyList<ClaimedEvent> lane, CancellationToken cancellationToken) =>
        services.GetRequiredService<ISender>().Send(new ProcessStripeEventLane([.. lane.Select(e => e.Id)], Worker), cancellationToken).AsTask();

    protected override Task RenewLeasesAsync(IServiceProvider services, TimeSpan lease, CancellationToken cancellationToken) =>
        services.GetRequiredService<IWebhookInbox>().RenewLeasesAsync(Worker, lease, cancellationToken);

    protected override Task RecordFailureAsync(IServiceProvider services, ClaimedEvent item, string error, DateTimeOffset? retryAt, bool countAttempt) =>
        services.GetRequiredService<IWebhookInbox>().RecordFailureAsync(item.Id, Worker, error, retryAt, countAttempt, CancellationToken.None);

    protected override (object Id, int Attempts, DateTimeOffset Since) Describe(ClaimedEvent item) => (item.Id, item.Attempts, item.ReceivedAt);

    protected override long Tiebreak(ClaimedEvent item) => item.ReceiptSequence;

    protected override void CountFailure() => metrics.WebhooksFailed.Add(1);
}
