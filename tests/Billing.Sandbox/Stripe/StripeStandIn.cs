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

    public IReadOnlyList<JsonObject> Events()
    {
        lock (_gate)
        {
            return _events.Select(e => e.DeepClone().AsObject()).ToList();
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
        Get(app, "/v1/customers/{id}", (p, r) => Find(_customers, "customer", r.RouteValues["id"]!.ToString()!));
        Get(app, "/v1/customers/{id}/payment_methods", (p, r) => ListPaymentMethods(r.RouteValues["id"]!.ToString()!, p));
        Get(app, "/v1/payment_methods", (p, _) => p.Str("customer") is { } c ? ListPaymentMethods(c, p) : StripeReply.Missing("customer"));
        Post(app, "/v1/products", CreateProduct);
        Get(app, "/v1/products", (p, _) => ListOf(_products.Values, p, "/v1/products"));
        Get(app, "/v1/products/{id}", (p, r) => Find(_products, "product", r.RouteValues["id"]!.ToString()!));
        Post(app, "/v1/products/{id}", UpdateProduct);
        Post(app, "/v1/prices", CreatePrice);
        Get(app, "/v1/prices", ListPrices);
        Get(app, "/v1/prices/{id}", (p, r) => Find(_prices, "price", r.RouteValues["id"]!.ToString()!));
        Post(app, "/v1/prices/{id}", UpdatePrice);
        Post(app, "/v1/checkout/sessions", CreateCheckoutSession);
        Get(app, "/v1/checkout/sessions/{id}", (p, r) => FindSession(r.RouteValues["id"]!.ToString()!));
        Post(app, "/v1/checkout/sessions/{id}/expire", (p, r) => ExpireSession(r.RouteValues["id"]!.ToString()!));
        Post(app, "/v1/billing_portal/sessions", CreatePortalSession);
        Get(app, "/v1/subscriptions", (p, _) => ListOf(_subscriptions.Values.Where(s => p.Str("customer") is not { } c || s["customer"]!.GetValue<string>() == c), p, "/v1/subscriptions"));
        Get(app, "/v1/subscriptions/{id}", (p, r) => Find(_subscriptions, "subscription", r.RouteValues["id"]!.ToString()!, "subscription_exposed_id"));
        Post(app, "/v1/subscriptions/{id}", UpdateSubscription);
        Delete(app, "/v1/subscriptions/{id}", CancelSubscriptionNow);
        Get(app, "/v1/invoices", ListInvoices);
        Post(app, "/v1/invoices/create_preview", CreateInvoicePreview);
        Get(app, "/v1/events/{id}", (p, r) => Find(_events.ToDictionary(e => e["id"]!.GetValue<string>()), "event", r.RouteValues["id"]!.ToString()!));
        Get(app, "/v1/events", (p, _) => ListOf(Enumerable.Reverse(_events), p, "/v1/events"));
        Get(app, "/v1/invoice_payments", ListInvoicePayments);
        Post(app, "/v1/refunds", CreateRefund);
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
        await context.Response.WriteAsync(reply.Body.ToJsonString());
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

    private StripeReply CreateCustomer(StripeParams p, HttpRequest _)
    {
        var id = StripeIds.New("cus");
        var customer = new JsonObject
        {
            ["id"] = id,
            ["object"] = "customer",
            ["created"] = StripeIds.Now(),
            ["email"] = p.Str("email"),
            ["name"] = p.Str("name"),
            ["description"] = p.Str("description"),
            ["livemode"] = false,
            ["metadata"] = Metadata(p.Map("metadata")),
            ["invoice_settings"] = new JsonObject { ["default_payment_method"] = null, ["custom_fields"] = null, ["footer"] = null },
            ["balance"] = 0,
            ["currency"] = null,
            ["delinquent"] = false,
        };
        _customers[id] = customer;
        return StripeReply.Ok(customer.DeepClone());
    }

    private StripeReply CreateProduct(StripeParams p, HttpRequest _)
    {
        if (p.Str("name") is not { Length: > 0 } name)
        {
            return StripeReply.Missing("name");
        }

        var id = p.Str("id") ?? StripeIds.New("prod");
        if (_products.ContainsKey(id))
        {
            return StripeReply.Error(400, "invalid_request_error", $"Product already exists.", "resource_already_exists", "id");
        }

        var product = new JsonObject
        {
            ["id"] = id,
            ["object"] = "product",
            ["active"] = p.Bool("active") ?? true,
            ["created"] = StripeIds.Now(),
            ["updated"] = StripeIds.Now(),
            ["name"] = name,
            ["description"] = p.Str("description"),
            ["metadata"] = Metadata(p.Map("metadata")),
            ["livemode"] = false,
            ["default_price"] = null,
            ["type"] = "service",
        };
        _products[id] = product;
        return StripeReply.Ok(product.DeepClone());
    }

    private StripeReply UpdateProduct(StripeParams p, HttpRequest r)
    {
        var id = r.RouteValues["id"]!.ToString()!;
        if (!_products.TryGetValue(id, out var product))
        {
            return StripeReply.NoSuch("product", id);
        }

        if (p.Str("name") is { } name)
        {
            product["name"] = name;
        }

        if (p.Has("description"))
        {
            product["description"] = p.Str("description") is { Length: > 0 } d ? d : null;
        }

        if (p.Bool("active") is { } active)
        {
            product["active"] = active;
        }

        MergeMetadata(product, p.Map("metadata"));
        product["updated"] = StripeIds.Now();
        return StripeReply.Ok(product.DeepClone());
    }

    private StripeReply CreatePrice(StripeParams p, HttpRequest _)
    {
        if (p.Str("currency") is not { Length: 3 } currency)
        {
            return StripeReply.Missing("currency");
        }

        if (p.Str("product") is not { } productId)
        {
            return StripeReply.Missing("product");
        }

        if (!_products.ContainsKey(productId))
        {
            return StripeReply.NoSuch("product", productId, "product");
        }

        if (p.Long("unit_amount") is not { } amount || amount < 0)
        {
            return StripeReply.Missing("unit_amount");
        }

        var interval = p.Str("recurring[interval]");
        if (interval is not null and not ("day" or "week" or "month" or "year"))
        {
            return StripeReply.Error(400, "invalid_request_error", "Invalid recurring[interval]: must be one of day, week, month, or year", "parameter_invalid_string", "recurring[interval]");
        }

        var lookupKey = p.Str("lookup_key");
        if (lookupKey is not null && MoveLookupKey(lookupKey, p.Bool("transfer_lookup_key") == true) is { } conflict)
        {
            return conflict;
        }

        var id = StripeIds.New("price");
        var price = new JsonObject
        {
            ["id"] = id,
            ["object"] = "price",
            ["active"] = p.Bool("active") ?? true,
            ["billing_scheme"] = "per_unit",
            ["created"] = StripeIds.Now(),
            ["currency"] = currency.ToLowerInvariant(),
            ["livemode"] = false,
            ["lookup_key"] = lookupKey,
            ["metadata"] = Metadata(p.Map("metadata")),
            ["nickname"] = p.Str("nickname"),
            ["product"] = productId,
            ["recurring"] = interval is null ? null : new JsonObject
            {
                ["interval"] = interval,
                ["interval_count"] = p.Long("recurring[interval_count]") ?? 1,
                ["usage_type"] = "licensed",
                ["meter"] = null,
            },
            ["tax_behavior"] = "unspecified",
            ["type"] = interval is null ? "one_time" : "recurring",
            ["unit_amount"] = amount,
            ["unit_amount_decimal"] = amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        _prices[id] = price;
        return StripeReply.Ok(price.DeepClone());
    }

    private StripeReply? MoveLookupKey(string lookupKey, bool transfer)
    {
        var holder = _prices.Values.FirstOrDefault(x => x["lookup_key"]?.GetValue<string>() == lookupKey);
        if (holder is null)
        {
            return null;
        }

        if (!transfer)
        {
            return StripeReply.Error(400, "invalid_request_error", $"A price ({holder["id"]}) already uses that lookup key.", "lookup_key_already_exists", "lookup_key");
        }

        holder["lookup_key"] = null;
        RefreshEmbeddedPrice(holder);
        return null;
    }

    /// <summary>A subscription item embeds its price as the price is now, so a moved lookup key reads null there too.</summary>
    private void RefreshEmbeddedPrice(JsonObject price)
    {
        var id = price["id"]!.GetValue<string>();
        foreach (var item in _subscriptions.Values.Select(Item).Where(i => i["price"]!["id"]!.GetValue<string>() == id))
        {
            item["price"] = price.DeepClone();
        }
    }

    private StripeReply UpdatePrice(StripeParams p, HttpRequest r)
    {
        var id = r.RouteValues["id"]!.ToString()!;
        if (!_prices.TryGetValue(id, out var price))
        {
            return StripeReply.NoSuch("price", id);
        }

        if (p.Str("lookup_key") is { } lookupKey && price["lookup_key"]?.GetValue<string>() != lookupKey)
        {
            if (MoveLookupKey(lookupKey, p.Bool("transfer_lookup_key") == true) is { } conflict)
            {
                return conflict;
            }

            price["lookup_key"] = lookupKey;
        }

        if (p.Bool("active") is { } active)
        {
            price["active"] = active;
        }

        MergeMetadata(price, p.Map("metadata"));
        RefreshEmbeddedPrice(price);
        return StripeReply.Ok(price.DeepClone());
    }

    private StripeReply ListPrices(StripeParams p, HttpRequest _)
    {
        IEnumerable<JsonObject> prices = _prices.Values.OrderByDescending(x => x["created"]!.GetValue<long>());
        var keys = p.List("lookup_keys");
        if (keys.Count > 0)
        {
            prices = prices.Where(x => x["lookup_key"]?.GetValue<string>() is { } k && keys.Contains(k));
        }

        if (p.Bool("active") is { } active)
        {
            prices = prices.Where(x => x["active"]!.GetValue<bool>() == active);
        }

        if (p.Str("product") is { } product)
        {
            prices = prices.Where(x => x["product"]!.GetValue<string>() == product);
        }

        return ListOf(prices, p, "/v1/prices");
    }

    private StripeReply CreateCheckoutSession(StripeParams p, HttpRequest _)
    {
        var mode = p.Str("mode");
        if (mode is null)
        {
            return StripeReply.Missing("mode");
        }

        if (mode != "subscription")
        {
            return StripeReply.Error(400, "invalid_request_error", "This stand-in supports mode=subscription only.", "parameter_invalid_string", "mode");
        }

        if (p.Str("success_url") is not { } successUrl)
        {
            return StripeReply.Missing("success_url");
        }

        if (p.Str("line_items[0][price]") is not { } priceId)
        {
            return StripeReply.Missing("line_items");
        }

        if (!_prices.TryGetValue(priceId, out var price))
        {
            return StripeReply.NoSuch("price", priceId, "line_items[0][price]");
        }

        if (price["recurring"] is null)
        {
            return StripeReply.Error(400, "invalid_request_error", "You must provide at least one recurring price in `subscription` mode when using prices.", "parameter_invalid_string", "line_items[0][price]");
        }

        var customer = p.Str("customer");
        if (customer is not null && !_customers.ContainsKey(customer))
        {
            return StripeReply.NoSuch("customer", customer, "customer");
        }

        var now = StripeIds.Now();
        var expiresAt = p.Long("expires_at") ?? now + 86400;
        if (expiresAt < now + 1800 || expiresAt > now + 86400)
        {
            return StripeReply.Error(400, "invalid_request_error", "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.", "parameter_invalid_integer", "expires_at");
        }

        var id = "cs_test_" + StripeIds.New("x")[2..];
        var quantity = p.Long("line_items[0][quantity]") ?? 1;
        var session = new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["mode"] = mode,
            ["status"] = "open",
            ["payment_status"] = "unpaid",
            ["customer"] = customer,
            ["customer_email"] = p.Str("customer_email"),
            ["client_reference_id"] = p.Str("client_reference_id"),
            ["metadata"] = Metadata(p.Map("metadata")),
            ["success_url"] = successUrl,
            ["cancel_url"] = p.Str("cancel_url"),
            ["url"] = new Uri(BaseUrl, $"checkout/{id}").AbsoluteUri,
            ["subscription"] = null,
            ["invoice"] = null,
            ["amount_subtotal"] = price["unit_amount"]!.GetValue<long>() * quantity,
            ["amount_total"] = price["unit_amount"]!.GetValue<long>() * quantity,
            ["currency"] = price["currency"]!.GetValue<string>(),
            ["created"] = StripeIds.Now(),
            ["expires_at"] = expiresAt,
            ["livemode"] = false,
            ["line_items_price"] = priceId,
            ["line_items_quantity"] = quantity,
            ["subscription_data_metadata"] = Metadata(p.Map("subscription_data[metadata]")),
        };
        _sessions[id] = session;
        return StripeReply.Ok(PublicSession(session));
    }

    private StripeReply FindSession(string id)
    {
        if (!_sessions.TryGetValue(id, out var session))
        {
            return StripeReply.NoSuch("checkout.session", id, "session");
        }

        ExpireIfDue(session);
        return StripeReply.Ok(PublicSession(session));
    }

    /// <summary>Ends an open session (Stripe allows it only while open); its payment page stops accepting cards.</summary>
    private StripeReply ExpireSession(string id)
    {
        if (!_sessions.TryGetValue(id, out var session))
        {
            return StripeReply.NoSuch("checkout.session", id, "session");
        }

        ExpireIfDue(session);
        if (session["status"]!.GetValue<string>() != "open")
        {
            return StripeReply.Error(400, "invalid_request_error", $"Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout Session has a status of \"{session["status"]}\".", "checkout_session_not_open");
        }

        Expire(session);
        return StripeReply.Ok(PublicSession(session));
    }

    /// <summary>Stripe expires a session at its <c>expires_at</c>; the stand-in does so when the session is next looked at.</summary>
    private void ExpireIfDue(JsonObject session)
    {
        if (session["status"]!.GetValue<string>() == "open" && session["expires_at"]!.GetValue<long>() <= StripeIds.Now())
        {
            Expire(session);
        }
    }

    private void Expire(JsonObject session)
    {
        session["status"] = "expired";
        session["url"] = null;
        Emit("checkout.session.expired", PublicSession(session));
    }

    private static JsonObject PublicSession(JsonObject session)
    {
        var copy = session.DeepClone().AsObject();
        copy.Remove("line_items_price");
        copy.Remove("line_items_quantity");
        copy.Remove("subscription_data_metadata");
        return copy;
    }

    private StripeReply CreatePortalSession(StripeParams p, HttpRequest _)
    {
        if (p.Str("customer") is not { } customer)
        {
            return StripeReply.Missing("customer");
        }

        if (!_customers.ContainsKey(customer))
        {
            return StripeReply.NoSuch("customer", customer, "customer");
        }

        var id = StripeIds.New("bps");
        return StripeReply.Ok(new JsonObject
        {
            ["id"] = id,
            ["object"] = "billing_portal.session",
            ["customer"] = customer,
            ["return_url"] = p.Str("return_url"),
            ["url"] = new Uri(BaseUrl, $"portal/{id}").AbsoluteUri,
            ["created"] = StripeIds.Now(),
            ["livemode"] = false,
            ["configuration"] = "bpc_sandbox",
        });
    }

    private StripeReply ListPaymentMethods(string customer, StripeParams p)
    {
        if (!_customers.ContainsKey(customer))
        {
            return StripeReply.NoSuch("customer", customer, "customer");
        }

        var type = p.Str("type");
        return ListOf(
            _paymentMethods.Values.Where(m => m["customer"]?.GetValue<string>() == customer && (type is null || m["type"]!.GetValue<string>() == type)).OrderByDescending(m => m["created"]!.GetValue<long>()),
            p,
            $"/v1/customers/{customer}/payment_methods");
    }

    private StripeReply ListInvoices(StripeParams p, HttpRequest _)
    {
        IEnumerable<JsonObject> invoices = _invoices.Values.OrderByDescending(i => i["created"]!.GetValue<long>());
        if (p.Str("customer") is { } customer)
        {
            invoices = invoices.Where(i => i["customer"]!.GetValue<string>() == customer);
        }

        if (p.Str("subscription") is { } subscription)
        {
            invoices = invoices.Where(i => i["parent"]?["subscription_details"]?["subscription"]?.GetValue<string>() == subscription);
        }

        if (p.Str("status") is { } status)
        {
            invoices = invoices.Where(i => i["status"]!.GetValue<string>() == status);
        }

        return ListOf(invoices, p, "/v1/invoices");
    }
}
