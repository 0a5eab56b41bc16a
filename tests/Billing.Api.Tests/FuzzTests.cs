using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>
/// Odd input against every endpoint, from a fixed seed so a failure repeats: bodies of every JSON kind and none,
/// odd strings (control characters, accents, very long), odd headers and query strings, signed and unsigned
/// webhooks. No answer may be a 5xx, and every error must be a problem document.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class FuzzTests(Database database) : AppFixture(database)
{
    private static readonly (string Method, string Path, string Caller)[] Endpoints =
    [
        ("GET", "/api/v1/billing/plans", "anonymous"),
        ("POST", "/api/v1/billing/checkout/create", "user"),
        ("POST", "/api/v1/billing/portal/create", "user"),
        ("GET", "/api/v1/billing/payment-methods", "user"),
        ("GET", "/api/v1/billing/subscription-status", "user"),
        ("POST", "/api/v1/billing/subscription/cancel", "user"),
        ("POST", "/api/v1/billing/subscription/upgrade", "user"),
        ("POST", "/api/v1/billing/subscription/upgrade/preview", "user"),
        ("POST", "/api/v1/billing/webhooks/stripe", "anonymous"),
        ("GET", "/api/v1/billing/admin/webhook-events", "admin"),
        ("POST", "/api/v1/billing/admin/webhook-events/{id}/replay", "admin"),
        ("GET", "/api/v1/billing/admin/sync-failures", "admin"),
        ("POST", "/api/v1/billing/admin/sync-failures/{id}/replay", "admin"),
        ("GET", "/api/v1/billing/admin/accounts/{id}", "admin"),
    ];

    private static readonly string[] OddStrings =
    [
        string.Empty, " ", "starter", "professional", "monthly", "yearly", "sub_123", "sub_1\n", "null", "\u0000", "\u001b[31m",
        "josé", "💳", "' OR 1=1 --", "<script>x</script>", "../../etc/passwd", "%00", new string('x', 5000), "1e309", "-1",
        "{\"a\":1}", "evt_" + new string('9', 300), "00000000-0000-0000-0000-000000000000",
    ];

    private static JsonNode? OddValue(Random random, int depth = 0) => random.Next(depth > 2 ? 6 : 9) switch
    {
        0 => null,
        1 => JsonValue.Create(OddStrings[random.Next(OddStrings.Length)]),
        2 => JsonValue.Create(random.Next(3) switch { 0 => long.MaxValue, 1 => -1L, _ => random.Next() }),
        3 => JsonValue.Create(random.NextDouble() * 1e300),
        4 => JsonValue.Create(random.Next(2) == 0),
        5 => JsonValue.Create(OddStrings[random.Next(4)]),
        6 => new JsonArray(Enumerable.Range(0, random.Next(3)).Select(_ => OddValue(random, depth + 1)).ToArray()),
        _ => OddObject(random, depth + 1),
    };

    private static JsonObject OddObject(Random random, int depth = 0)
    {
        string[] fields = ["tier_id", "billing_cycle", "new_tier_id", "subscription_id", "at_period_end", "keep_cancellation", "id", "type", "object", "created", "data", "extra"];
        var body = new JsonObject();
        foreach (var field in fields.Where(_ => random.Next(3) > 0))
        {
            body[field] = OddValue(random, depth);
        }

        return body;
    }

    private HttpRequestMessage Request(Random random, (string Method, string Path, string Caller) endpoint)
    {
        // The in-memory test server refuses a NUL in a path before the service sees it (Kestrel answers 400 itself).
        var id = OddStrings[random.Next(OddStrings.Length)].Replace("\u0000", "x", StringComparison.Ordinal).Replace("%00", "x", StringComparison.Ordinal);
        var path = endpoint.Path.Replace("{id}", Uri.EscapeDataString(id.Length > 0 ? id : "x"), StringComparison.Ordinal);
        if (endpoint.Method == "GET" && random.Next(2) == 0)
        {
            path += $"?status={Uri.EscapeDataString(OddStrings[random.Next(OddStrings.Length)].Replace("\u0000", "x", StringComparison.Ordinal))}&limit={Uri.EscapeDataString(OddStrings[random.Next(OddStrings.Length)].Replace("\u0000", "x", StringComparison.Ordinal))}&currency=%FF";
        }

        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), path);
        if (endpoint.Method == "POST")
        {
            var json = random.Next(6) switch
            {
                0 => null,
                1 => "{\"tier_id\":",
                2 => OddValue(random)?.ToJsonString() ?? "null",
                _ => OddObject(random).ToJsonString(),
            };
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, random.Next(8) == 0 ? "text/plain" : "application/json");
                if (endpoint.Path.Contains("webhooks", StringComparison.Ordinal) && random.Next(2) == 0)
                {
                    request.Headers.TryAddWithoutValidation("Stripe-Signature", StripeSignature.Header(json, BillingApp.WebhookSecret));
                }
            }
        }

        if (random.Next(4) == 0)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", OddStrings[random.Next(OddStrings.Length)]);
        }

        var token = endpoint.Caller switch
        {
            "user" => App.Keycloak.IssueToken($"fz-{random.Next(20)}", "fz@example.com"),
            "admin" => App.Keycloak.IssueToken("fz-admin", "admin@example.com", ["billing-admin"]),
            _ => null,
        };
        if (token is not null && random.Next(10) > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", random.Next(15) == 0 ? token[..^3] + "xyz" : token);
        }

        return request;
    }

    [Test]
    public async Task No_odd_input_is_a_5xx_or_an_error_without_a_problem_document()
    {
        var random = new Random(20261127);
        using var client = App.Anonymous();
        var findings = new List<string>();
        foreach (var endpoint in Endpoints)
        {
            for (var i = 0; i < 25; i++)
            {
                using var request = Request(random, endpoint);
                var described = $"{request.Method} {request.RequestUri} {(request.Content is null ? "(no body)" : await request.Content.ReadAsStringAsync())}";
                using var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                var contentType = response.Content.Headers.ContentType?.MediaType;
                if (status >= 500 || (status >= 400 && contentType != "application/problem+json"))
                {
                    findings.Add($"{status} {contentType}: {(described.Length > 300 ? described[..300] : described)}");
                }
            }
        }

        Assert.That(findings, Is.Empty);
    }
}
