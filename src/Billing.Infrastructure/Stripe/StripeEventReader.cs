using Billing.Domain.Plans;
using System.Globalization;
using System.Text.Json;
using Billing.Application.Common;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Messages;
using Billing.Infrastructure.Configuration;
using Microsoft.Extensions.Logging;
using Stripe;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// Verifies Stripe-Signature with Stripe.net against every configured secret (rotation), and reads events with
/// System.Text.Json so an event of another API version than Stripe.net's is still understood.
/// </summary>
internal sealed class StripeEventReader(StripeOptions options, TimeProvider clock, BillingMetrics metrics, ILogger<StripeEventReader> logger) : IStripeEventReader
{
    private const string SignatureField = "Stripe-Signature";

    /// <summary>The last second of year 9999: a <c>created</c> beyond it cannot be a time.</summary>
    private const long MaxUnixSeconds = 253_402_300_799;

    public Result<VerifiedStripeEvent> Verify(string payload, string? signatureHeader)
    {
        if (options.WebhookSecrets.Count == 0)
        {
            return new Error(ErrorKind.NotConfigured, "webhook_secret_missing", "Webhooks are not configured: the STRIPE_WEBHOOK_SECRET setting is missing.");
        }

        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return Error.Invalid(SignatureField, "signature_missing", "The Stripe-Signature header is missing.");
        }

        var timestamp = signatureHeader.Split(',')
            .Select(part => part.Trim().Split('=', 2))
            .Where(kv => kv.Length == 2 && kv[0] == "t")
            .Select(kv => long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : (long?)null)
            .FirstOrDefault();
        if (timestamp is null)
        {
            return Error.Invalid(SignatureField, "signature_malformed", "The Stripe-Signature header has no valid timestamp.");
        }

        var now = clock.GetUtcNow();
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp.Value) > options.WebhookTolerance.TotalSeconds)
        {
            return Error.Invalid(SignatureField, "signature_stale", $"The Stripe-Signature timestamp is more than {options.WebhookTolerance.TotalSeconds:0} seconds away from now.");
        }

        if (!options.WebhookSecrets.Any(secret => Verifies(payload, signatureHeader, secret, now)))
        {
            return Error.Invalid(SignatureField, "signature_invalid", "The Stripe-Signature header does not match the body for any webhook secret.");
        }

        return ReadEnvelope(payload);
    }

    private bool Verifies(string payload, string header, string secret, DateTimeOffset now)
    {
        try
        {
            EventUtility.ValidateSignature(payload, header, secret, (long)options.WebhookTolerance.TotalSeconds, now.ToUnixTimeSeconds());
            return true;
        }
        catch (StripeException)
        {
            // This secret does not sign the body; another one (during a rotation) may.
            return false;
        }
    }

    private Result<VerifiedStripeEvent> ReadEnvelope(string payload)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                Text(root, "object") != "event" ||
                Text(root, "id") is not { Length: > 0 and <= 255 } id ||
                Text(root, "type") is not { Length: > 0 and <= 128 } type ||
                !root.TryGetProperty("created", out var created) || created.ValueKind != JsonValueKind.Number ||
                !created.TryGetInt64(out var createdSeconds) || createdSeconds is < 0 or > MaxUnixSeconds ||
                !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object ||
                !data.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
            {
                return Error.Invalid("body", "event_malformed", "The body is not a Stripe event (object, id, type, created and data.object are required).");
            }

            var apiVersion = Text(root, "api_version");
            if (apiVersion is not null && apiVersion != StripeConfiguration.ApiVersion)
            {
                metrics.StripeEventsOtherVersion.Add(1, new KeyValuePair<string, object?>("api_version", apiVersion));
                logger.LogWarning("Stripe event {EventId} has API version {EventVersion}, not {LibraryVersion}; its object will be read from Stripe", id, apiVersion, StripeConfiguration.ApiVersion);
            }

            var handled = StripeEventTypes.Handled.Contains(type);
            var (_, objectId, customer, subscription) = Identify(obj);
            return new VerifiedStripeEvent(
                id, type, DateTimeOffset.FromUnixTimeSeconds(createdSeconds), apiVersion, StripePayloadMinimizer.Minimize(payload), handled,
                StripeEventMessage.LaneOf(customer, subscription, objectId));
        }
        catch (JsonException)
        {
            return Error.Invalid("body", "event_malformed", "The body is not valid JSON.");
        }
    }

    public Result<StripeEventMessage> Read(string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var root = doc.RootElement;
        var type = Text(root, "type")!;
        var eventId = Text(root, "id") ?? string.Empty;
        var created = Time(root, "created") ?? DateTimeOffset.MinValue;
        var obj = root.GetProperty("data").GetProperty("object");
        var (kind, objectId, customer, subscription) = Identify(obj);
        // The account the metadata names: a user's, or an organization's (its key made from the organization's id).
        string? Named(string key) => Path(obj, "metadata", key) ??
            Path(obj, "parent", "subscription_details", "metadata", key) ??
            Path(obj, "subscription_details", "metadata", key);
        var metadataUser = Named(BillingMetadata.UserId)
            ?? (Named(BillingMetadata.OrganizationId) is { Length: > 0 } organization ? Billing.Domain.Accounts.AccountHolder.ForOrganization(organization) : null);
        var email = Path(obj, "customer_details", "email") ?? Text(obj, "customer_email");

        // An object of another API version may differ in shape: a subscription or an invoice is then never read as if
        // it were the pinned one (their handlers read it from Stripe). A refund or a dispute has no read of its own
        // here yet, so its few fields are read by name, as before, rather than dropped.
        var pinned = Text(root, "api_version") == StripeConfiguration.ApiVersion;
        SubscriptionChange? subscriptionChange = SubscriptionChanges.TryGetValue(type, out var isSubscription) ? isSubscription : null;
        InvoiceChange? invoiceChange = InvoiceChanges.TryGetValue(type, out var isInvoice) ? isInvoice : null;
        StripeEventMessage? message = type switch
        {
            _ when subscriptionChange is { } change => new SubscriptionChanged(eventId, created, objectId, customer, change, metadataUser, pinned ? SubscriptionOf(obj) : null),
            _ when invoiceChange is { } change => new InvoiceChanged(eventId, created, objectId, customer, subscription, change, pinned ? InvoiceOf(obj) : null, metadataUser, email),
            StripeEventTypes.CheckoutSessionCompleted => new CheckoutCompleted(
                eventId, created, objectId, customer, subscription, Text(obj, "client_reference_id") ?? metadataUser, email, Text(obj, "mode") == "setup", Id(obj, "setup_intent"),
                Text(obj, "mode") == "subscription" && Text(obj, "payment_status") == "unpaid"),
            StripeEventTypes.CheckoutSessionAsyncPaymentSucceeded or StripeEventTypes.CheckoutSessionAsyncPaymentFailed => new CheckoutPaymentSettled(
                eventId, created, objectId, customer, subscription, Text(obj, "client_reference_id") ?? metadataUser, type == StripeEventTypes.CheckoutSessionAsyncPaymentSucceeded),
            StripeEventTypes.CheckoutSessionExpired => new CheckoutExpired(eventId, created, objectId, customer, Text(obj, "client_reference_id") ?? metadataUser),
            StripeEventTypes.CustomerDeleted => new CustomerDeleted(eventId, created, objectId),
            StripeEventTypes.PaymentIntentProcessing => new PaymentProcessing(eventId, created, objectId, customer),
            StripeEventTypes.CustomerUpdated => new CustomerUpdated(eventId, created, objectId, pinned && kind == "customer" ? Long(obj, "balance") : null),
            StripeEventTypes.RefundCreated or StripeEventTypes.RefundUpdated or StripeEventTypes.ChargeRefunded => new RefundChanged(
                eventId, created, objectId, customer, kind == "refund" ? RefundOf(obj) : null, Id(obj, "payment_intent"), kind == "charge" ? Long(obj, "amount_refunded") : null, kind == "charge" ? objectId : null),
            StripeEventTypes.DisputeCreated or StripeEventTypes.DisputeUpdated or StripeEventTypes.DisputeClosed => new DisputeChanged(
                eventId, created, objectId, customer, kind == "dispute" ? DisputeOf(obj) : null),
            StripeEventTypes.ScheduleCreated or StripeEventTypes.ScheduleUpdated or StripeEventTypes.ScheduleReleased or StripeEventTypes.ScheduleCanceled
                or StripeEventTypes.ScheduleCompleted or StripeEventTypes.ScheduleAborted => new ScheduleChanged(
                eventId, created, objectId, customer, subscription ?? Id(obj, "released_subscription"), pinned && kind == "subscription_schedule" ? ScheduleOf(obj) : null),
            _ => null,
        };
        return message is null
            ? Error.Invalid("type", "event_type_unhandled", $"Stripe events of type {type} are not acted on; they are stored as ignored.")
            : message;
    }

    /// <summary>The object's kind and id, and the customer and subscription it belongs to.</summary>
    private static (string? Kind, string ObjectId, string? Customer, string? Subscription) Identify(JsonElement obj)
    {
        var kind = Text(obj, "object");
        var objectId = Text(obj, "id") ?? string.Empty;
        var customer = kind == "customer" ? objectId : Id(obj, "customer");
        var subscription = kind switch
        {
            "subscription" => objectId,
            "invoice" => Path(obj, "parent", "subscription_details", "subscription") ?? Id(obj, "subscription"),
            _ => Id(obj, "subscription"),
        };
        return (kind, objectId, customer, subscription);
    }

        private static readonly Dictionary<string, SubscriptionChange> SubscriptionChanges = new(StringComparer.Ordinal)
    {
        [StripeEventTypes.SubscriptionCreated] = SubscriptionChange.Created,
        [StripeEventTypes.SubscriptionUpdated] = SubscriptionChange.Updated,
        [StripeEventTypes.SubscriptionDeleted] = SubscriptionChange.Ended,
        [StripeEventTypes.SubscriptionPaused] = SubscriptionChange.Paused,
        [StripeEventTypes.SubscriptionResumed] = SubscriptionChange.Resumed,
        [StripeEventTypes.SubscriptionTrialWillEnd] = SubscriptionChange.TrialEnding,
    };

    private static readonly Dictionary<string, InvoiceChange> InvoiceChanges = new(StringComparer.Ordinal)
    {
        [StripeEventTypes.InvoiceCreated] = InvoiceChange.Drafted,
        [StripeEventTypes.InvoiceFinalized] = InvoiceChange.Finalized,
        [StripeEventTypes.InvoiceUpdated] = InvoiceChange.Updated,
        [StripeEventTypes.InvoiceVoided] = InvoiceChange.Voided,
        [StripeEventTypes.InvoiceMarkedUncollectible] = InvoiceChange.MarkedUncollectible,
        [StripeEventTypes.InvoicePaid] = InvoiceChange.Paid,
        [StripeEventTypes.InvoicePaymentFailed] = InvoiceChange.PaymentFailed,
        [StripeEventTypes.InvoicePaymentActionRequired] = InvoiceChange.PaymentActionRequired,
    };

    /// <summary>The subscription as the event carried it, read by Stripe.net as the pinned version shapes it; null when it cannot be read.</summary>
    private static GatewaySubscription? SubscriptionOf(JsonElement subscription)
    {
        try
        {
            var parsed = Subscription.FromJson(subscription.GetRawText());
            return parsed.Items?.Data is { Count: > 0 } ? StripeMapper.ToGatewaySubscription(parsed) : null;
        }
        catch (Newtonsoft.Json.JsonException)
        {
            // Not the shape of the pinned version after all: the subscription is read from Stripe instead.
            return null;
        }
    }

    private static Billing.Domain.Invoices.InvoiceFacts? InvoiceOf(JsonElement invoice) =>
        Text(invoice, "id") is { } id && Id(invoice, "customer") is { } customer && StripeInvoiceStatuses.Of(Text(invoice, "status")) is { } status
            ? new Billing.Domain.Invoices.InvoiceFacts(
                id,
                customer,
                Path(invoice, "parent", "subscription_details", "subscription") ?? Id(invoice, "subscription"),
                Text(invoice, "number"),
                status,
                Text(invoice, "currency") ?? string.Empty,
                Long(invoice, "total") ?? 0,
                Long(invoice, "amount_paid") ?? 0,
                Long(invoice, "amount_due") ?? 0,
                Time(invoice, "period_start"),
                Time(invoice, "period_end"),
                Time(invoice, "created") ?? DateTimeOffset.MinValue,
                Text(invoice, "hosted_invoice_url"),
                Text(invoice, "invoice_pdf"),
                invoice.TryGetProperty("total_taxes", out var taxes) && taxes.ValueKind == JsonValueKind.Array
                    ? taxes.EnumerateArray().Sum(t => Long(t, "amount") ?? 0)
                    : 0,
                Time(invoice, "next_payment_attempt"),
                (Long(invoice, "ending_balance") ?? Long(invoice, "starting_balance") ?? 0) - (Long(invoice, "starting_balance") ?? 0))
            : null;

    private static GatewayRefund? RefundOf(JsonElement refund) =>
        Text(refund, "id") is { } id
            ? new GatewayRefund(
                id,
                Long(refund, "amount") ?? 0,
                Text(refund, "currency") ?? string.Empty,
                StripeStates.Refund(Text(refund, "status")),
                Text(refund, "reason"),
                Id(refund, "payment_intent"),
                Time(refund, "created") ?? DateTimeOffset.MinValue,
                Path(refund, "metadata", "invoice_id"),
                Id(refund, "charge"))
            : null;

    private static Billing.Domain.Disputes.DisputeFacts? DisputeOf(JsonElement dispute) =>
        Text(dispute, "id") is { } id && StripeStates.Dispute(Text(dispute, "status")) is { } status
            ? new Billing.Domain.Disputes.DisputeFacts(
                id,
                Long(dispute, "amount") ?? 0,
                Text(dispute, "currency") ?? string.Empty,
                Text(dispute, "reason"),
                status,
                Id(dispute, "payment_intent"),
                dispute.TryGetProperty("evidence_details", out var evidence) && evidence.ValueKind == JsonValueKind.Object ? Time(evidence, "due_by") : null,
                Time(dispute, "created") ?? DateTimeOffset.MinValue,
                Id(dispute, "charge"))
            : null;

    /// <summary>The schedule as the event carried it: whether it still runs, and the phase after the current one.</summary>
    private static ReportedSchedule? ScheduleOf(JsonElement schedule)
    {
        if (Text(schedule, "id") is not { } id)
        {
            return null;
        }

        var running = Text(schedule, "status") is "not_started" or "active";
        var currentEnd = schedule.TryGetProperty("current_phase", out var current) && current.ValueKind == JsonValueKind.Object ? Time(current, "end_date") : null;
        var phases = schedule.TryGetProperty("phases", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [];
        var next = phases.Where(p => currentEnd is null || Time(p, "start_date") >= currentEnd).Cast<JsonElement?>().FirstOrDefault();
        var item = next is { } phase && phase.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array ? items.EnumerateArray().Cast<JsonElement?>().FirstOrDefault() : null;
        Tier? tier = next is { } named && PlanCodes.TryParseTier(Path(named, "metadata", BillingMetadata.Tier), out var t) ? t : null;
        BillingCycle? cycle = next is { } cycled && PlanCodes.TryParseCycle(Path(cycled, "metadata", BillingMetadata.BillingCycle), out var c) ? c : null;
        return new ReportedSchedule(
            id,
            Id(schedule, "subscription") ?? Id(schedule, "released_subscription"),
            running,
            item is { } first ? Id(first, "price") : null,
            next is { } starting ? Time(starting, "start_date") : null,
            tier,
            cycle);
    }

    private static long? Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        Long(element, name) is { } seconds and >= 0 and <= MaxUnixSeconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>An id field that may also come expanded into its object.</summary>
    private static string? Id(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object => Text(value, "id"),
            _ => null,
        } : null;

    private static string? Path(JsonElement element, params string[] names)
    {
        foreach (var name in names[..^1])
        {
            if (!element.TryGetProperty(name, out element) || element.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
        }

        return Id(element, names[^1]);
    }
}
