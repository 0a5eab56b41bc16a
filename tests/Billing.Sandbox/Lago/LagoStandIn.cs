using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Billing.Sandbox.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Lago;

/// <summary>
/// Lago's customers, subscriptions and events API (under /api/v1), with its root-key envelopes
/// (<c>{"customer": {…}}</c>), bearer API key, and its 401/404/422 error bodies.
/// </summary>
public sealed partial class LagoStandIn(string apiKey = "lago_sandbox_key") : StandInHost
{
    private readonly ConcurrentDictionary<string, JsonObject> _customers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _events = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LagoPlan> _plans = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<JsonObject> _terminated = new();
    private readonly ConcurrentQueue<StripeCustomerOverwrite> _stripeCustomerOverwrites = new();
    private readonly Lock _customerGate = new();

    public const int MaxMetadataItems = 5;
    public const int MaxMetadataKeyLength = 20;
    public const int MaxMetadataValueLength = 100;

    public string ApiKey { get; } = apiKey;

    /// <summary>When set, customer upserts are refused with 422 and this validation error on this field.</summary>
    public (string Field, string Code)? RejectCustomersWith { get; set; }

    public IReadOnlyDictionary<string, JsonObject> Customers => _customers;

    public IReadOnlyDictionary<string, JsonObject> Subscriptions => _subscriptions;

    /// <summary>The events Lago keeps, by subscription and transaction id (Lago's unique index), as <c>{sub}/{transaction}</c>.</summary>
    public IReadOnlyDictionary<string, JsonObject> Events => _events;

    /// <summary>Batches of events received (each request, kept or refused), for counting round trips.</summary>
    public int EventBatchesReceived => _eventBatches;

    /// <summary>The next this many event batches are kept, then their answer is lost (the connection drops), as when a reply times out.</summary>
    public int LoseNextBatchAnswers { get; set; }

    private int _eventBatches;
    private readonly Lock _eventGate = new();

    /// <summary>Lago's limit of events per batch (LAGO_EVENTS_BATCH_MAX_LENGTH).</summary>
    public const int MaxEventsPerBatch = 100;

    /// <summary>The codes of the organisation's Stripe connections (payment providers); one by default.</summary>
    public List<string> PaymentProviders { get; } = ["stripe"];

    /// <summary>Each time Lago pushed its copy of a customer to Stripe (every upsert after the first that carries a provider customer id).</summary>
    public IReadOnlyList<StripeCustomerOverwrite> StripeCustomerOverwrites => _stripeCustomerOverwrites.ToArray();

    /// <summary>Subscriptions ended by an upgrade (their external id now names the newer one).</summary>
    public IReadOnlyList<JsonObject> TerminatedByUpgrade => _terminated.ToArray();

    /// <summary>A plan with its base amount, so Lago can tell an upgrade (applied now) from a downgrade (at period end).</summary>
    public void AddPlan(string code, long amountCents = 0, string interval = "monthly") => _plans[code] = new LagoPlan(code, amountCents, interval);

    protected override string ProtocolPathPrefix => "/api/v1/";

    protected override void Map(WebApplication app)
    {
        app.MapPost("/api/v1/customers", UpsertCustomerAsync);
        app.MapGet("/api/v1/customers", (HttpRequest r) =>
            Guard(r) ?? ListCustomers(r));
        app.MapGet("/api/v1/customers/{externalCustomerId}", (HttpRequest r, string externalCustomerId) =>
            Guard(r) ?? (_customers.TryGetValue(externalCustomerId, out var c) ? Results.Json(new { customer = c }) : NotFound("customer")));
        app.MapPost("/api/v1/subscriptions", UpsertSubscriptionAsync);
        app.MapGet("/api/v1/subscriptions/{externalId}", FindSubscription);
        app.MapDelete("/api/v1/subscriptions/{externalId}", TerminateSubscription);
        app.MapPost("/api/v1/events", CreateEventAsync);
        app.MapPost("/api/v1/events/batch", CreateEventBatchAsync);

        // Not Lago's: what the stand-in holds, for a person trying the service.
        app.MapGet("/_sandbox/events", () => Results.Json(new { events = _events.Values.ToList() }));
    }

    private IResult? Guard(HttpRequest request) =>
        request.Headers.Authorization.ToString() == $"Bearer {ApiKey}"
            ? null
            : Results.Json(new { status = 401, error = "Unauthorized" }, statusCode: 401);

    private static IResult NotFound(string resource) =>
        Results.Json(new { status = 404, error = "Not Found", code = $"{resource}_not_found" }, statusCode: 404);

    private static IResult Unprocessable(string field, string code) =>
        Results.Json(new { status = 422, error = "Unprocessable Entity", code = "validation_errors", error_details = new Dictionary<string, string[]> { [field] = [code] } }, statusCode: 422);

    private static async Task<JsonObject?> ReadRootAsync(HttpRequest request, string root)
    {
        try
        {
            var node = await JsonNode.ParseAsync(request.Body);
            return node?[root] as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Lago's customer upsert by <c>external_id</c> (Customers::UpsertFromApiService): only keys present are set;
    /// metadata is matched by id and replaces all (L1, L2); a billing configuration with a provider customer id
    /// needs a payment provider, and on every later upsert makes Lago overwrite the Stripe customer (L3).
    /// </summary>
    private async Task<IResult> UpsertCustomerAsync(HttpRequest request)
    {
        if (Guard(request) is { } denied)
        {
            return denied;
        }

        var input = await ReadRootAsync(request, "customer");
        if (input is null)
        {
            return Results.Json(new { status = 400, error = "Bad Request", code = "customer_is_missing" }, statusCode: 400);
        }

        var externalId = input["external_id"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(externalId))
        {
            return Unprocessable("external_id", "value_is_mandatory");
        }

        if (RejectCustomersWith is { } rejection)
        {
            return Unprocessable(rejection.Field, rejection.Code);
        }

        lock (_customerGate)
        {
            var existing = _customers.GetValueOrDefault(externalId);
            var metadata = input["metadata"] is JsonArray sentMetadata ? MergeMetadata(existing, sentMetadata) : (existing?["metadata"]?.DeepClone().AsArray(), null);
            if (metadata.Error is { } metadataError)
            {
                return metadataError;
            }

            var customer = existing?.DeepClone().AsObject() ?? NewCustomer(externalId);
            customer["updated_at"] = DateTimeOffset.UtcNow.ToString("O");
            foreach (var (key, value) in input)
            {
                if (key is not ("metadata" or "billing_configuration" or "external_id"))
                {
                    customer[key] = value?.DeepClone();
                }
            }

            customer["metadata"] = metadata.Items ?? new JsonArray();
            var billing = input["billing_configuration"] as JsonObject;
            var providerCustomerId = billing?["provider_customer_id"]?.GetValue<string>();
            if (billing is null || string.IsNullOrEmpty(providerCustomerId))
            {
                _customers[externalId] = customer;
                return Results.Json(new { customer });
            }

            var code = billing["payment_provider_code"]?.GetValue<string>();
            var provider = code is null ? (PaymentProviders.Count == 1 ? PaymentProviders[0] : null) : PaymentProviders.FirstOrDefault(p => p == code);
            if (provider is null)
            {
                // On a new customer the row is committed before the provider is looked for.
                if (existing is null)
                {
                    _customers[externalId] = customer;
                }

                return Results.Json(
                    new { status = 422, error = "Unprocessable Entity", code = "validation_errors", error_details = new Dictionary<string, string[]> { ["base"] = [PaymentProviders.Count == 0 || code is not null ? "payment_provider_not_found" : "payment_provider_code_missing"] } },
                    statusCode: 422);
            }

            if (existing is not null)
            {
                // Lago pushes its own copy of the customer to Stripe: fields it never received go there empty.
                _stripeCustomerOverwrites.Enqueue(new StripeCustomerOverwrite(
                    providerCustomerId,
                    customer["name"]?.GetValue<string>() ?? string.Empty,
                    customer["email"]?.GetValue<string>() ?? string.Empty,
                    customer["phone"]?.GetValue<string>() ?? string.Empty,
                    customer["address_line1"]?.GetValue<string>() ?? string.Empty));
            }

            customer["billing_configuration"] = new JsonObject
            {
                ["invoice_grace_period"] = 0,
                ["document_locale"] = "en",
                ["payment_provider"] = "stripe",
                ["payment_provider_code"] = provider,
                ["provider_customer_id"] = providerCustomerId,
                ["sync"] = billing["sync"]?.GetValue<bool>() ?? false,
                ["sync_with_provider"] = billing["sync_with_provider"]?.GetValue<bool>() ?? false,
            };
            _customers[externalId] = customer;
            return Results.Json(new { customer });
        }
    }

    /// <summary>
    /// L1 and L2: at most 5 items; keys of at most 20 characters and values of at most 100, neither blank; an item
    /// with an id updates that row, one without is created (and a key already there is refused, rolling back the
    /// whole update), and every row not sent is deleted.
    /// </summary>
    private static (JsonArray? Items, IResult? Error) MergeMetadata(JsonObject? existing, JsonArray sent)
    {
        if (sent.Count > MaxMetadataItems)
        {
            return (null, Unprocessable("metadata", "invalid_count"));
        }

        var rows = (existing?["metadata"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var kept = new List<JsonObject>();
        var created = new List<JsonObject>();
        foreach (var item in sent.OfType<JsonObject>())
        {
            var key = item["key"]?.ToString();
            var value = item["value"]?.ToString();
            if (string.IsNullOrWhiteSpace(key) || string.IsNullOrWhiteSpace(value))
            {
                return (null, Unprocessable("metadata", "value_is_mandatory"));
            }

            if (key.Length > MaxMetadataKeyLength || value.Length > MaxMetadataValueLength)
            {
                return (null, Unprocessable("metadata", "value_is_too_long"));
            }

            var id = item["id"]?.ToString();
            var row = id is null ? null : rows.FirstOrDefault(r => r["lago_id"]!.GetValue<string>() == id);
            if (row is not null)
            {
                kept.Add(new JsonObject { ["lago_id"] = id, ["key"] = key, ["value"] = value, ["display_in_invoice"] = item["display_in_invoice"]?.GetValue<bool>() ?? false, ["created_at"] = row["created_at"]?.DeepClone() });
                continue;
            }

            // Creates run before the delete of rows not sent, so a key sent again without its id collides.
            if (rows.Any(r => r["key"]!.GetValue<string>() == key) || created.Any(c => c["key"]!.GetValue<string>() == key))
            {
                return (null, Unprocessable("key", "value_already_exist"));
            }

            created.Add(new JsonObject { ["lago_id"] = Guid.NewGuid().ToString(), ["key"] = key, ["value"] = value, ["display_in_invoice"] = item["display_in_invoice"]?.GetValue<bool>() ?? false, ["created_at"] = DateTimeOffset.UtcNow.ToString("O") });
        }

        return (new JsonArray([.. kept.Concat(created)]), null);
    }

    /// <summary>
    /// L4: an active subscription asked for another plan is upgraded now (a new lago_id, the old one terminated)
    /// when the new plan's yearly amount is greater or equal, and downgraded at the end of the period otherwise
    /// (the answer is the current subscription with <c>next_plan_code</c>).
    /// </summary>
    private async Task<IResult> UpsertSubscriptionAsync(HttpRequest request)
    {
        if (Guard(request) is { } denied)
        {
            return denied;
        }

        var input = await ReadRootAsync(request, "subscription");
        if (input is null)
        {
            return Results.Json(new { status = 400, error = "Bad Request", code = "subscription_is_missing" }, statusCode: 400);
        }

        foreach (var required in new[] { "external_customer_id", "plan_code", "external_id" })
        {
            if (string.IsNullOrWhiteSpace(input[required]?.GetValue<string>()))
            {
                return Unprocessable(required, "value_is_mandatory");
            }
        }

        var customerId = input["external_customer_id"]!.GetValue<string>();
        var planCode = input["plan_code"]!.GetValue<string>();
        var externalId = input["external_id"]!.GetValue<string>();
        lock (_customerGate)
        {
            if (!_customers.ContainsKey(customerId))
            {
                return NotFound("customer");
            }

            if (!_plans.TryGetValue(planCode, out var plan))
            {
                return NotFound("plan");
            }

            var current = _subscriptions.GetValueOrDefault(externalId);
            if (current is null || current["status"]!.GetValue<string>() == "terminated")
            {
                var created = NewSubscription(externalId, customerId, planCode);
                _subscriptions[externalId] = created;
                return Results.Json(new { subscription = created });
            }

            if (current["external_customer_id"]!.GetValue<string>() != customerId)
            {
                return Unprocessable("external_id", "value_already_exist");
            }

            var currentPlan = current["plan_code"]!.GetValue<string>();
            if (currentPlan == planCode)
            {
                current["next_plan_code"] = null;
                current["downgrade_plan_date"] = null;
                return Results.Json(new { subscription = current });
            }

            if (plan.YearlyAmountCents >= _plans[currentPlan].YearlyAmountCents)
            {
                current["status"] = "terminated";
                current["terminated_at"] = DateTimeOffset.UtcNow.ToString("O");
                _terminated.Enqueue(current);
                var upgraded = NewSubscription(externalId, customerId, planCode);
                upgraded["previous_plan_code"] = currentPlan;
                _subscriptions[externalId] = upgraded;
                return Results.Json(new { subscription = upgraded });
            }

            current["next_plan_code"] = planCode;
            current["downgrade_plan_date"] = DateTimeOffset.UtcNow.AddMonths(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            return Results.Json(new { subscription = current });
        }
    }


    /// <summary>Lago's subscriptions#show: by default only an active subscription is found; <c>status</c> asks for another.</summary>
    private IResult FindSubscription(HttpRequest request, string externalId)
    {
        if (Guard(request) is { } denied)
        {
            return denied;
        }

        var status = request.Query["status"].FirstOrDefault() ?? "active";
        if (status is not ("active" or "pending" or "terminated" or "canceled"))
        {
            return Unprocessable("status", "value_is_invalid");
        }

        lock (_customerGate)
        {
            return _subscriptions.TryGetValue(externalId, out var subscription) && subscription["status"]?.GetValue<string>() == status
                ? Results.Json(new { subscription })
                : NotFound("subscription");
        }
    }

    private IResult TerminateSubscription(HttpRequest request, string externalId)
    {
        if (Guard(request) is { } denied)
        {
            return denied;
        }

        lock (_customerGate)
        {
            // L5: terminating one already terminated is 404, like one that never existed.
            if (!_subscriptions.TryGetValue(externalId, out var subscription) || subscription["status"]?.GetValue<string>() == "terminated")
            {
                return NotFound("subscription");
            }

            subscription["status"] = "terminated";
            subscription["terminated_at"] = DateTimeOffset.UtcNow.ToString("O");
            subscription["next_plan_code"] = null;
            subscription["downgrade_plan_date"] = null;
            return Results.Json(new { subscription });
        }
    }
}
