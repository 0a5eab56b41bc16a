using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// Webhook endpoints as Stripe keeps them (<c>/v1/webhook_endpoints</c>): the signing <c>secret</c> is in the creation
/// answer only; <c>enabled_events</c> are event type names or <c>*</c>; <c>api_version</c> is fixed when the endpoint
/// is created (the account's default when none is given) and is no parameter of an update, which Stripe refuses as
/// an unknown parameter; <c>disabled</c> sets <c>status</c>. Deleting answers a deleted object.
/// </summary>
public sealed partial class StripeStandIn
{
    /// <summary>The account's default API version, which an endpoint created without one speaks.</summary>
    public const string AccountDefaultApiVersion = "2024-06-20";

    private static readonly Regex EventTypeName = new(@"\A([a-z_]+\.)+[a-z_]+\z", RegexOptions.CultureInvariant);
    private readonly Dictionary<string, JsonObject> _webhookEndpoints = new(StringComparer.Ordinal);

    public IReadOnlyList<JsonObject> WebhookEndpoints()
    {
        lock (_gate)
        {
            return _webhookEndpoints.Values.Select(e => e.DeepClone().AsObject()).ToList();
        }
    }

    /// <summary>An endpoint made elsewhere (in the dashboard, by an older release), as Stripe would hold it.</summary>
    public string AddWebhookEndpoint(string url, IEnumerable<string> events, string? apiVersion = null)
    {
        lock (_gate)
        {
            var endpoint = NewEndpoint(url, events.ToList(), apiVersion ?? AccountDefaultApiVersion);
            return endpoint["id"]!.GetValue<string>();
        }
    }

    private void MapWebhookEndpoints(WebApplication app)
    {
        Post(app, "/v1/webhook_endpoints", CreateWebhookEndpoint);
        Get(app, "/v1/webhook_endpoints", (p, _) => ListOf(_webhookEndpoints.Values.OrderByDescending(e => e["created"]!.GetValue<long>()).Select(PublicEndpoint), p, "/v1/webhook_endpoints"));
        Get(app, "/v1/webhook_endpoints/{id}", (p, r) => _webhookEndpoints.TryGetValue(r.RouteValues["id"]!.ToString()!, out var e) ? StripeReply.Ok(PublicEndpoint(e)) : StripeReply.NoSuch("webhook_endpoint", r.RouteValues["id"]!.ToString()!));
        Post(app, "/v1/webhook_endpoints/{id}", UpdateWebhookEndpoint);
        Delete(app, "/v1/webhook_endpoints/{id}", (p, r) =>
        {
            var id = r.RouteValues["id"]!.ToString()!;
            return _webhookEndpoints.Remove(id) ? StripeReply.Ok(new JsonObject { ["id"] = id, ["object"] = "webhook_endpoint", ["deleted"] = true }) : StripeReply.NoSuch("webhook_endpoint", id);
        });
    }

    private StripeReply CreateWebhookEndpoint(StripeParams p, HttpRequest _)
    {
        var url = p.Str("url");
        if (url is null)
        {
            return StripeReply.Missing("url");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http"))
        {
            return StripeReply.Error(400, "invalid_request_error", "Invalid URL: An explicit scheme (such as https) must be provided.", "url_invalid", "url");
        }

        var events = p.List("enabled_events");
        if (events.Count == 0)
        {
            return StripeReply.Missing("enabled_events");
        }

        if (InvalidEvent(events) is { } invalid)
        {
            return invalid;
        }

        var created = NewEndpoint(url, events, p.Str("api_version") ?? AccountDefaultApiVersion);
        created["description"] = p.Str("description");
        var answer = PublicEndpoint(created);
        answer["secret"] = created["secret"]!.DeepClone();
        return StripeReply.Ok(answer);
    }

    private StripeReply UpdateWebhookEndpoint(StripeParams p, HttpRequest request)
    {
        var id = request.RouteValues["id"]!.ToString()!;
        if (!_webhookEndpoints.TryGetValue(id, out var endpoint))
        {
            return StripeReply.NoSuch("webhook_endpoint", id);
        }

        if (p.Has("api_version"))
        {
            return StripeReply.Error(400, "invalid_request_error", "Received unknown parameter: api_version", "parameter_unknown", "api_version");
        }

        var events = p.List("enabled_events");
        if (InvalidEvent(events) is { } invalid)
        {
            return invalid;
        }

        if (events.Count > 0)
        {
            endpoint["enabled_events"] = new JsonArray(events.Select(e => (JsonNode)JsonValue.Create(e)!).ToArray());
        }

        if (p.Str("url") is { } url)
        {
            endpoint["url"] = url;
        }

        if (p.Bool("disabled") is { } disabled)
        {
            endpoint["status"] = disabled ? "disabled" : "enabled";
        }

        return StripeReply.Ok(PublicEndpoint(endpoint));
    }

    private static StripeReply? InvalidEvent(List<string> events) =>
        events.FirstOrDefault(e => e != "*" && !EventTypeName.IsMatch(e)) is { } bad
            ? StripeReply.Error(400, "invalid_request_error", $"Invalid enabled_events[{events.IndexOf(bad)}]: {bad} is not a valid event type.", "parameter_invalid_string", $"enabled_events[{events.IndexOf(bad)}]")
            : null;

    private JsonObject NewEndpoint(string url, List<string> events, string apiVersion)
    {
        var id = StripeIds.New("we");
        var endpoint = new JsonObject
        {
            ["id"] = id,
            ["object"] = "webhook_endpoint",
            ["api_version"] = apiVersion,
            ["application"] = null,
            ["created"] = StripeIds.Now(),
            ["description"] = null,
            ["enabled_events"] = new JsonArray(events.Select(e => (JsonNode)JsonValue.Create(e)!).ToArray()),
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["secret"] = "whsec_" + Guid.NewGuid().ToString("N"),
            ["status"] = "enabled",
            ["url"] = url,
        };
        _webhookEndpoints[id] = endpoint;
        return endpoint;
    }

    /// <summary>Stripe shows the secret only when the endpoint is created.</summary>
    private static JsonObject PublicEndpoint(JsonObject endpoint)
    {
        var copy = endpoint.DeepClone().AsObject();
        copy.Remove("secret");
        return copy;
    }
}
