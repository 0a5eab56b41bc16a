using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Billing.Sandbox.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// Stripe's API for the resources the billing service uses, in the shapes of API version
/// <see cref="ApiVersion"/>: form-encoded requests, bearer secret key, idempotency keys, list objects, and
/// Stripe's error envelope. Checkout is completed through a control endpoint, after which the resulting events
/// are delivered to the webhook, signed as Stripe signs them.
/// </summary>
public sealed partial class StripeStandIn : StandInHost
{
    public const string ApiVersion = "2026-10-28.endive";
    public const string CardSucceeds = "4242424242424242";
    public const string CardDeclines = "4000000000000002";
    public const string CardNeedsAuthentication = "4000002500003155";
    public const int MaxIdempotencyKeyLength = 255;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _products = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _prices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _paymentMethods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _invoices = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _events = [];
    private readonly ConcurrentDictionary<string, (string Fingerprint, StripeReply Reply)> _idempotency = new(StringComparer.Ordinal);
    private readonly HashSet<string> _keysInFlight = new(StringComparer.Ordinal);

    public StripeStandIn(string apiKey = "sk_test_sandbox")
    {
        ApiKey = apiKey;
        Webhooks = new WebhookSender();
    }

    public string ApiKey { get; }

    public WebhookSender Webhooks { get; }

    /// <summary>Stripe's per-account and per-endpoint request limits, on by default as in Stripe.</summary>
    public StripeRateLimiter RateLimits { get; } = new();

    /// <summary>How long each API request takes before it runs (zero by default; real Stripe takes 100–300 ms).</summary>
    public TimeSpan Latency { get; set; }

    protected override string ProtocolPathPrefix => "/v1/";

    protected override void OnStarted() => Webhooks.Start();

    public JsonObject? Subscription(string id)
    {
        lock (_gate)
        {
            return _subscriptions.GetValueOrDefault(id)?.DeepClone().AsObject();
        }
    }

    public JsonObject? Session(string id)
    {
        lock (_gate)
        {
            return _sessions.TryGetValue(id, out var session) ? PublicSession(session) : null;
        }
    }

    public JsonObject? Customer(string id)
    {
        lock (_gate)
        {
            return _customers.GetValueOrDefault(id)?.DeepClone().AsObject();
        }
    }

    public IReadOnlyList<JsonObject> Prices()
    {
        lock (_gate)
        {
            return _prices.Values.Select(p => p.DeepClone().AsObject()).ToList();
        }
    }

    public int CustomerCount
    {
        get
        {
            lock (_gate)
            {
                return _customers.Count;
            }
        }
    }

    protected override void Map(WebApplication app)
    {
        Post(app, "/v1/customers", CreateCustomer);
        Get(app, "/v1/customers", (p, _) => ListOf(Enumerable.Reverse(_customers.Values).Where(c => c["deleted"]?.GetValue<bool>() != true), p, "/v1/customers"));
        Get(app, "/v1/customers/{id}", (p, r) => Find(_customers, "customer", r.RouteValues["id"]!.ToString()!));
        Post(app, "/v1/customers/{id}", UpdateCustomer);
        Delete(app, "/v1/customers/{id}", DeleteCustomer);
        Get(app, "/v1/setup_intents/{id}", (p, r) => FindSetupIntent(r.RouteValues["id"]!.ToString()!));
        Get(app, "/v1/customers/{id}/payment_methods", (p, r) => ListPaymentMethods(r.RouteValues["id"]!.ToString()!, p));
        Get(app, "/v1/payment_methods", (p, _) => p.Str("customer") is { } c ? ListPaymentMethods(c, p) : StripeReply.Missing("customer"));
        Post(app, "/v1/products", CreateProduct);
        Get(app, "/v1/products", (p, _) => ListOf(_products.Values, p, "/v1/products"));
        Get(app, "/v1/products/{id}", (p, r) => Find(_products, "product", r.RouteValues["id"]!.ToString()!));
        Post(app, "/v1/products/{id}", UpdateProduct);
        Post(app, "/v1/prices", CreatePrice);
        Get(app, "/v1/prices", ListPrices);
        Get(app, "/v1/prices/{id}", (p, r) => _prices.TryGetValue(r.RouteValues["id"]!.ToString()!, out var price) ? StripeReply.Ok(PublicPrice(price, p.List("expand").Contains("currency_options"))) : StripeReply.NoSuch("price", r.RouteValues["id"]!.ToString()!));
        Post(app, "/v1/prices/{id}", UpdatePrice);
        Post(app, "/v1/checkout/sessions", CreateCheckoutSession);
        Get(app, "/v1/checkout/sessions/{id}", (p, r) => FindSession(r.RouteValues["id"]!.ToString()!));
        Post(app, "/v1/checkout/sessions/{id}/expire", (p, r) => ExpireSession(r.RouteValues["id"]!.ToString()!));
        Post(app, "/v1/billing_portal/sessions", CreatePortalSession);
        Get(app, "/v1/subscriptions", ListSubscriptions);
        Get(app, "/v1/subscriptions/{id}", (p, r) => FindSubscription(r.RouteValues["id"]!.ToString()!, p));
        Post(app, "/v1/subscriptions/{id}", UpdateSubscription);
        Delete(app, "/v1/subscriptions/{id}", CancelSubscriptionNow);
        Post(app, "/v1/subscriptions/{id}/resume", ResumeSubscription);
        Get(app, "/v1/invoices", ListInvoices);
        Get(app, "/v1/invoices/{id}", (p, r) => Find(_invoices, "invoice", r.RouteValues["id"]!.ToString()!, "invoice"));
        Post(app, "/v1/invoices/{id}/pay", PayInvoice);
        Post(app, "/v1/invoices/create_preview", CreateInvoicePreview);
        Get(app, "/v1/events/{id}", (p, r) => Find(_events.ToDictionary(e => e["id"]!.GetValue<string>()), "event", r.RouteValues["id"]!.ToString()!));
        Get(app, "/v1/events", (p, _) => ListOf(Enumerable.Reverse(_events), p, "/v1/events"));
        Get(app, "/v1/invoice_payments", ListInvoicePayments);
        Post(app, "/v1/refunds", CreateRefund);
        Get(app, "/v1/refunds", ListRefunds);
        Get(app, "/v1/disputes/{id}", (p, r) => FindDispute(r.RouteValues["id"]!.ToString()!));
        Get(app, "/v1/charges/{id}", (p, r) => FindCharge(r));
        MapWebhookEndpoints(app);
        MapSchedules(app);
        MapEntitlements(app);
        MapPortalConfigurations(app);
        MapCustomerBalance(app);
        MapTestClocks(app);
        MapDiscounts(app);
        MapControl(app);
    }

    private void Post(WebApplication app, string pattern, Func<StripeParams, HttpRequest, StripeReply> handler) =>
        app.MapPost(pattern, (HttpContext c) => HandleAsync(c, handler, idempotent: true));

    private void Get(WebApplication app, string pattern, Func<StripeParams, HttpRequest, StripeReply> handler) =>
        app.MapGet(pattern, (HttpContext c) => HandleAsync(c, handler, idempotent: false));

    private void Delete(WebApplication app, string pattern, Func<StripeParams, HttpRequest, StripeReply> handler) =>
        app.MapDelete(pattern, (HttpContext c) => HandleAsync(c, handler, idempotent: true));

    private async Task HandleAsync(HttpContext context, Func<StripeParams, HttpRequest, StripeReply> handler, bool idempotent)
    {
        var reply = Authenticate(context.Request);
        if (reply is null && context.GetEndpoint() is RouteEndpoint endpoint &&
            RateLimits.TryAdmit($"{context.Request.Method} {endpoint.RoutePattern.RawText}", DateTimeOffset.UtcNow) is { } limited)
        {
            // Stripe sends no Retry-After: the client is expected to back off exponentially, with jitter.
            context.Response.Headers["Stripe-Rate-Limited-Reason"] = limited;
            reply = StripeReply.Error(429, "invalid_request_error", "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.", "rate_limit");
        }

        if (reply is null)
        {
            var parameters = await StripeParams.ReadAsync(context.Request);
            var key = idempotent ? context.Request.Headers["Idempotency-Key"].FirstOrDefault() : null;
            reply = key is null
                ? await RunAsync(handler, parameters, context.Request)
                : await RunIdempotentAsync(context, key, handler, parameters);
        }

        FlushEvents();
        context.Response.StatusCode = reply.Status;
        context.Response.Headers["Request-Id"] = StripeIds.New("req");
        context.Response.Headers["Stripe-Version"] = ApiVersion;
        context.Response.ContentType = "application/json";
        var body = reply.Body.DeepClone();
        if (reply.Status == 200)
        {
            StripeShapes.Complete(body);
        }

        await context.Response.WriteAsync(body.ToJsonString());
    }

    /// <summary>
    /// Stripe's idempotency: the first request with a key runs and its answer is kept; a request with the same key
    /// while the first still runs is 409 <c>idempotency_key_in_use</c> (nothing saved); the same key with other
    /// parameters is 400 <c>idempotency_error</c>; keys are at most 255 characters.
    /// </summary>
    private async Task<StripeReply> RunIdempotentAsync(HttpContext context, string key, Func<StripeParams, HttpRequest, StripeReply> handler, StripeParams parameters)
    {
        if (key.Length > MaxIdempotencyKeyLength)
        {
            return StripeReply.Error(400, "invalid_request_error", $"Invalid Idempotency-Key: must be at most {MaxIdempotencyKeyLength} characters.", "idempotency_key_invalid");
        }

        var fingerprint = $"{context.Request.Method} {context.Request.Path} {parameters.Fingerprint()}";
        lock (_gate)
        {
            if (_idempotency.TryGetValue(key, out var earlier))
            {
                context.Response.Headers["Idempotent-Replayed"] = "true";
                return earlier.Fingerprint == fingerprint
                    ? earlier.Reply
                    : StripeReply.Error(400, "idempotency_error", $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request.");
            }

            if (!_keysInFlight.Add(key))
            {
                return StripeReply.Error(409, "invalid_request_error", "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): " + key + ". Please try again later.", "idempotency_key_in_use");
            }
        }

        try
        {
            var reply = await RunAsync(handler, parameters, context.Request);

            // Stripe does not save answers to requests that failed validation or hit a 5xx.
            if (reply.Status is < 400 or 402)
            {
                lock (_gate)
                {
                    _idempotency[key] = (fingerprint, reply);
                }
            }

            return reply;
        }
        finally
        {
            lock (_gate)
            {
                _keysInFlight.Remove(key);
            }
        }
    }

    private async Task<StripeReply> RunAsync(Func<StripeParams, HttpRequest, StripeReply> handler, StripeParams parameters, HttpRequest request)
    {
        // Real Stripe takes 100–300 ms a request; the latency makes concurrency (and the 409 above) observable.
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency);
        }

        lock (_gate)
        {
            return handler(parameters, request);
        }
    }

    private StripeReply? Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        string? key = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = header[7..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            key = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())).Split(':')[0];
        }

        if (key is null)
        {
            return StripeReply.Error(401, "invalid_request_error", "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
        }

        return key == ApiKey ? null : StripeReply.Error(401, "invalid_request_error", $"Invalid API Key provided: {Redact(key)}", "api_key_invalid");
    }

    private static string Redact(string key) => key.Length <= 8 ? "****" : key[..7] + new string('*', Math.Max(4, key.Length - 11)) + key[^4..];

    private static StripeReply Find(Dictionary<string, JsonObject> store, string kind, string id, string param = "id") =>
        store.TryGetValue(id, out var found) ? StripeReply.Ok(found.DeepClone()) : StripeReply.NoSuch(kind, id, param);

    /// <summary>Stripe's list object, newest first, with <c>limit</c> (1–100, default 10) and <c>starting_after</c>.</summary>
    private static StripeReply ListOf(IEnumerable<JsonObject> items, StripeParams p, string url)
    {
        var limit = (int)(p.Long("limit") ?? 10);
        if (limit is < 1 or > 100)
        {
            return StripeReply.Error(400, "invalid_request_error", "This value must be between 1 and 100.", "parameter_invalid_integer", "limit");
        }

        var ordered = items.ToList();
        if (p.Str("starting_after") is { } after)
        {
            var index = ordered.FindIndex(i => i["id"]!.GetValue<string>() == after);
            if (index < 0)
            {
                return StripeReply.NoSuch("object", after, "starting_after");
            }

            ordered = ordered.Skip(index + 1).ToList();
        }

        var page = ordered.Take(limit).Select(i => (JsonNode)i.DeepClone()).ToArray();
        return StripeReply.Ok(new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(page),
            ["has_more"] = ordered.Count > limit,
            ["url"] = url,
        });
    }

    private static JsonObject Metadata(Dictionary<string, string> values) =>
        new(values.Where(v => v.Value.Length > 0).Select(v => KeyValuePair.Create(v.Key, (JsonNode?)JsonValue.Create(v.Value))));

    /// <summary>Stripe's metadata update: keys with an empty value are removed, others set, the rest kept.</summary>
    private static void MergeMetadata(JsonObject target, Dictionary<string, string> update)
    {
        var metadata = target["metadata"] as JsonObject ?? [];
        foreach (var (k, v) in update)
        {
            if (v.Length == 0)
            {
                metadata.Remove(k);
            }
            else
            {
                metadata[k] = v;
            }
        }

        target["metadata"] = metadata;
    }

}
