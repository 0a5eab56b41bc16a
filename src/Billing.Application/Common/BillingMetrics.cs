using System.Diagnostics.Metrics;

namespace Billing.Application.Common;

/// <summary>The service's meters (System.Diagnostics.Metrics; OpenTelemetry reads them by the meter name).</summary>
public sealed class BillingMetrics : IDisposable
{
    public const string MeterName = "Billing.Service";

    private readonly Meter _meter = new(MeterName);

    public BillingMetrics()
    {
        WebhooksReceived = _meter.CreateCounter<long>("billing.webhooks.received", description: "Verified Stripe events stored in the inbox.");
        WebhooksDuplicate = _meter.CreateCounter<long>("billing.webhooks.duplicate", description: "Stripe events delivered again and not stored twice.");
        WebhooksRejected = _meter.CreateCounter<long>("billing.webhooks.rejected", description: "Webhook calls refused: bad signature, stale or malformed.");
        WebhooksProcessed = _meter.CreateCounter<long>("billing.webhooks.processed", description: "Stripe events processed (or ignored as unknown).");
        WebhooksFailed = _meter.CreateCounter<long>("billing.webhooks.failed", description: "Failed processing attempts of Stripe events.");
        CommandsRunAgain = _meter.CreateCounter<long>("billing.commands.run_again", description: "Commands run again because another writer saved the same account first.");
        WebhookLag = _meter.CreateHistogram<double>("billing.webhooks.processing_lag", unit: "ms", description: "Time from receipt of a Stripe event to the end of its processing.");
        SyncDelivered = _meter.CreateCounter<long>("billing.sync.delivered", description: "Account states delivered to Keycloak or Lago.");
        SyncFailed = _meter.CreateCounter<long>("billing.sync.failed", description: "Failed attempts to deliver an account state.");
        SyncLag = _meter.CreateHistogram<double>("billing.sync.lag", unit: "ms", description: "Time from an account change to its delivery.");
        StripeBudgetWait = _meter.CreateHistogram<double>("billing.stripe.budget_wait", unit: "ms", description: "Time a Stripe request waited for the request budget (tagged user or background).");
        StripeRateLimited = _meter.CreateCounter<long>("billing.stripe.rate_limited", description: "Stripe answers 429 (rate limited), each retried and never counted as a failure.");
        StripeSubscriptionReads = _meter.CreateCounter<long>("billing.stripe.subscription_reads", description: "Subscriptions read from Stripe because an event could not say (tagged reason: same_second, other_api_version, …).");
        StripeEventsOtherVersion = _meter.CreateCounter<long>("billing.webhooks.other_api_version", description: "Stripe events sent in another API version than the one the service parses (tagged api_version); their objects are read from Stripe.");
        UsageAccepted = _meter.CreateCounter<long>("billing.usage.accepted", description: "Usage events accepted (each transaction id once).");
        UsageDelivered = _meter.CreateCounter<long>("billing.usage.delivered", description: "Usage events Lago holds (sent now, or found already there).");
        UsageFailed = _meter.CreateCounter<long>("billing.usage.failed", description: "Failed attempts to deliver a batch of usage events.");
    }

    public Counter<long> WebhooksReceived { get; }

    public Counter<long> WebhooksDuplicate { get; }

    public Counter<long> WebhooksRejected { get; }

    public Counter<long> WebhooksProcessed { get; }

    public Counter<long> WebhooksFailed { get; }

    public Counter<long> CommandsRunAgain { get; }

    public Histogram<double> WebhookLag { get; }

    public Counter<long> SyncDelivered { get; }

    public Counter<long> SyncFailed { get; }

    public Histogram<double> SyncLag { get; }

    public Histogram<double> StripeBudgetWait { get; }

    public Counter<long> StripeRateLimited { get; }

    public Counter<long> StripeSubscriptionReads { get; }

    public Counter<long> StripeEventsOtherVersion { get; }

    public Counter<long> UsageAccepted { get; }

    public Counter<long> UsageDelivered { get; }

    public Counter<long> UsageFailed { get; }

    public void Dispose() => _meter.Dispose();
}
