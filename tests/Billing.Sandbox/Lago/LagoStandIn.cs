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
public sealed class LagoStandIn(string apiKey = "lago_sandbox_key") : StandInHost
{
    private readonly ConcurrentDictionary<string, JsonObject> _customers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _events = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _plans = new(StringComparer.Ordinal);

    public string ApiKey { get; } = apiKey;

    /// <summary>When set, customer upserts are refused with 422 and this validation error on this field.</summary>
    public (string Field, string Code)? RejectCustomersWith { get; set; }

    public IReadOnlyDictionary<string, JsonObject> Customers => _customers;

    public IReadOnlyDictionary<string, JsonObject> Subscriptions => _subscriptions;

    public IReadOnlyDictionary<string, JsonObject> Events => _events;

    public void AddPlan(string code) => _plans[code] = 0;

    protected override string ProtocolPathPrefix => "/api/v1/";

    protected override void Map(WebApplication app)
    {
        app.MapPost("/api/v1/customers", UpsertCustomerAsync);
        app.MapGet("/api/v1/customers", (HttpRequest r) =>
            Guard(r) ?? Results.Json(new { customers = _customers.Values.Take(int.TryParse(r.Query["per_page"], out var n) ? n : 20).ToList(), meta = new { current_page = 1, total_count = _customers.Count } }));
        app.MapGet("/api/v1/customers/{externalCustomerId}", (HttpRequest r, string externalCustomerId) =>
            Guard(r) ?? (_customers.TryGetValue(externalCustomerId, out var c) ? Results.Json(new { customer = c }) : NotFound("customer")));
        app.MapPost("/api/v1/subscriptions", UpsertSubscriptionAsync);
        app.MapDelete("/api/v1/subscriptions/{externalId}", TerminateSubscription);
        app.MapPost("/api/v1/events", CreateEventAsync);
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

        var customer = _customers.AddOrUpdate(
            externalId,
            _ => Merge(new JsonObject { ["lago_id"] = Guid.NewGuid().ToString(), ["external_id"] = externalId, ["created_at"] = DateTimeOffset.UtcNow.ToString("O") }, input),
            (_, existing) => Merge(existing, input));
        return Results.Json(new { customer });
    }

    // Lago sets only the keys present in the request (Customers::CreateService).
    private static JsonObject Merge(JsonObject target, JsonObject input)
    {
        lock (target)
        {
            foreach (var (key, value) in input)
            {
                target[key] = value?.DeepClone();
            }
        }

        return target;
    }

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
        if (!_customers.ContainsKey(customerId))
        {
            return NotFound("customer");
        }

        if (!_plans.IsEmpty && !_plans.ContainsKey(planCode))
        {
            return NotFound("plan");
        }

        var externalId = input["external_id"]!.GetValue<string>();
        var subscription = _subscriptions.AddOrUpdate(
            externalId,
            _ => new JsonObject
            {
                ["lago_id"] = Guid.NewGuid().ToString(),
                ["external_id"] = externalId,
                ["external_customer_id"] = customerId,
                ["plan_code"] = planCode,
                ["status"] = "active",
                ["created_at"] = DateTimeOffset.UtcNow.ToString("O"),
            },
            (_, existing) =>
            {
                lock (existing)
                {
                    existing["plan_code"] = planCode;
                    existing["status"] = "active";
                }

                return existing;
            });
        return Results.Json(new { subscription });
    }

    private IResult TerminateSubscription(HttpRequest request, string externalId)
    {
        if (Guard(request) is { } denied)
        {
            return denied;
        }

        if (!_subscriptions.TryGetValue(externalId, out var subscription) || subscription["status"]?.GetValue<string>() == "terminated")
        {
            return NotFound("subscription");
        }

        lock (subscription)
        {
            subscription["status"] = "terminated";
            subscription["terminated_at"] = DateTimeOffset.UtcNow.ToString("O");
        }

        return Results.Json(new { subscription });
    }

    private async Task<IResult> CreateEventAsync(HttpRequest request)
    {
        if (Guard(request) is { } denied)
        {
            return denied;
        }

        var input = await ReadRootAsync(request, "event");
        if (input is null)
        {
            return Results.Json(new { status = 400, error = "Bad Request", code = "event_is_missing" }, statusCode: 400);
        }

        foreach (var required in new[] { "transaction_id", "external_subscription_id", "code" })
        {
            if (string.IsNullOrWhiteSpace(input[required]?.GetValue<string>()))
            {
                return Unprocessable(required, "value_is_mandatory");
            }
        }

        var stored = _events.GetOrAdd(input["transaction_id"]!.GetValue<string>(), _ => Merge(new JsonObject { ["lago_id"] = Guid.NewGuid().ToString() }, input));
        return Results.Json(new { @event = stored });
    }
}
