using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;

namespace Billing.Api.Tests;

/// <summary>
/// The OpenAPI document is what a frontend is generated from, so it is held to what the API does: every schema,
/// body and parameter has an example that passes its own schema, every error is the one Problem shape, and every
/// operation, called the ways a client gets it wrong (no token, the wrong role, the wrong content type, a body of the
/// wrong shape) and the way its example shows, answers only statuses the document lists: with Stripe answering, and
/// with Stripe refusing (429) or out of reach.
/// </summary>
[TestFixture(null)]
[TestFixture(Billing.Sandbox.Common.FaultKind.TooManyRequests)]
[TestFixture(Billing.Sandbox.Common.FaultKind.RefuseConnection)]
public sealed class OpenApiDocumentTests(Billing.Sandbox.Common.FaultKind? stripeTrouble) : AppFixture
{
    private JsonObject _document = null!;
    private SchemaCheck _schemas = null!;

    private string _subscriber = null!;

    [OneTimeSetUp]
    public async Task ReadDocumentAsync()
    {
        // A user with a live subscription, so operations on a subscription get as far as Stripe.
        _subscriber = $"oa-sub-{Guid.NewGuid():N}"[..20];
        using (var subscriberClient = App.ClientFor(_subscriber, "subscriber@example.com"))
        {
            using var checkout = await subscriberClient.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });
            App.Stripe.CompleteCheckout((await checkout.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>(), Billing.Sandbox.Stripe.StripeStandIn.CardSucceeds);
            await App.SettleAsync();
        }

        if (stripeTrouble is { } trouble)
        {
            App.Stripe.Faults.FailFor(TimeSpan.FromHours(1), trouble);
        }

        using var client = App.Anonymous();
        _document = (await client.GetFromJsonAsync<JsonObject>("/swagger/v1/swagger.json"))!;
        _schemas = new SchemaCheck(_document);
    }

    private IEnumerable<(string Path, string Method, JsonObject Operation)> Operations() =>
        _document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(m => m.Key is "get" or "post" or "put" or "delete" or "patch")
            .Select(m => (p.Key, m.Key.ToUpperInvariant(), m.Value!.AsObject())));

    private static JsonNode? ExampleOf(JsonObject holder) =>
        holder["example"] ?? (holder["examples"] as JsonArray)?.FirstOrDefault() ?? (holder["examples"] as JsonObject)?.FirstOrDefault().Value?["value"];

    [Test]
    public void Every_schema_has_an_example_that_passes_the_schema()
    {
        var problems = new List<string>();
        foreach (var (name, schema) in _document["components"]!["schemas"]!.AsObject())
        {
            var example = ExampleOf(schema!.AsObject());
            if (example is null)
            {
                problems.Add($"{name} has no example");
                continue;
            }

            problems.AddRange(_schemas.Check(example, schema).Select(p => $"{name}: {p}"));
        }

        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    [Test]
    public void Every_body_and_parameter_has_an_example_every_example_passes_and_no_dotnet_type_is_named()
    {
        var problems = new List<string>();
        foreach (var (path, method, operation) in Operations())
        {
            foreach (var (type, media) in operation["requestBody"]?["content"]?.AsObject() ?? [])
            {
                var example = ExampleOf(media!.AsObject()) ?? ExampleOf(_schemas.Resolve(media["schema"]!));
                if (example is null)
                {
                    problems.Add($"{method} {path}: body {type} has no example");
                }
                else
                {
                    problems.AddRange(_schemas.Check(example, media["schema"]!).Select(p => $"{method} {path} body: {p}"));
                }
            }

            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                foreach (var (type, media) in response!["content"]?.AsObject() ?? [])
                {
                    if (media!["example"] is { } example)
                    {
                        problems.AddRange(_schemas.Check(example, media["schema"]!).Select(p => $"{method} {path} {status} {type} example: {p}"));
                    }
                }
            }

            foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
            {
                if (parameter!["example"] is null && ExampleOf(parameter["schema"]!.AsObject()) is null)
                {
                    problems.Add($"{method} {path}: parameter {parameter["name"]} has no example");
                }
            }
        }

        var names = _document["components"]!["schemas"]!.AsObject().Select(s => s.Key).ToList();
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        Assert.That(names, Has.None.Contains("ProblemDetails").And.None.Contains("JsonNode"));
    }

    [Test]
    public void Every_error_answer_is_the_problem_schema_with_a_code_and_a_trace_id()
    {
        var problems = new List<string>();
        foreach (var (path, method, operation) in Operations())
        {
            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                if (int.Parse(status) >= 400 && response!["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>() != "#/components/schemas/Problem")
                {
                    problems.Add($"{method} {path} {status} is not application/problem+json with the Problem schema");
                }
            }
        }

        var problem = _document["components"]!["schemas"]!["Problem"]!;
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
        Assert.That(problem["required"]!.AsArray().Select(r => r!.GetValue<string>()), Is.SupersetOf(new[] { "code", "trace_id", "type", "status" }));
        Assert.That(problem["properties"]!["code"]!["enum"]!.AsArray().Select(c => c!.GetValue<string>()), Is.SupersetOf(new[] { "unauthorized", "forbidden", "unsupported_media_type", "too_many_requests", "unknown_tier" }));
    }

    [Test]
    public void Tiers_cycles_and_statuses_are_enums_and_what_a_request_needs_is_required()
    {
        var schemas = _document["components"]!["schemas"]!;
        var checkout = schemas["CheckoutRequest"]!;

        Assert.That(checkout["properties"]!["tier_id"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()), Is.EqualTo(new[] { "trial", "starter", "professional", "enterprise" }));
        Assert.That(checkout["properties"]!["billing_cycle"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()), Is.EqualTo(new[] { "monthly", "yearly" }));
        Assert.That(checkout["required"]!.AsArray().Select(v => v!.GetValue<string>()), Is.EquivalentTo(new[] { "tier_id", "billing_cycle" }));
        Assert.That(checkout["properties"]!["tier_id"]!["nullable"], Is.Null);
        Assert.That(ExampleOf(checkout.AsObject())!["tier_id"]!.GetValue<string>(), Is.EqualTo("professional"), "runnable as it is in Swagger UI");
        Assert.That(schemas["SubscriptionStatusView"]!["properties"]!["status"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()), Does.Contain("active").And.Contain("past_due"));
    }

    [Test]
    public void Problem_codes_thrown_in_the_sources_are_all_in_the_document()
    {
        var documented = _document["components"]!["schemas"]!["Problem"]!["properties"]!["code"]!["enum"]!.AsArray().Select(c => c!.GetValue<string>()).ToHashSet();
        var pattern = new System.Text.RegularExpressions.Regex(@"(Error\.(NotFound|Conflict)\(\s*|Error\(\s*ErrorKind\.[A-Za-z]+,\s*|new\(\s*ErrorKind\.[A-Za-z]+,\s*|Error\.Invalid\(\s*[^,()]+,\s*)""(?<code>[a-z][a-z0-9_]*)""");
        var used = Directory.EnumerateFiles(Repository.PathOf("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => pattern.Matches(File.ReadAllText(f)).Select(m => m.Groups["code"].Value))
            .ToHashSet();

        Assert.That(used, Is.Not.Empty);
        Assert.That(used.Except(documented), Is.Empty, "a code the service answers that the document does not list");
    }

    [Test]
    public async Task Every_operation_answers_only_statuses_it_documents_however_it_is_called()
    {
        var problems = new List<string>();
        foreach (var (path, method, operation) in Operations())
        {
            var documented = operation["responses"]!.AsObject().Select(r => int.Parse(r.Key)).ToHashSet();
            var url = Url(path, operation);
            var secured = operation["security"] is JsonArray { Count: > 0 };
            var roles = path.Contains("/admin/", StringComparison.Ordinal) ? new[] { "billing-admin" } : path.EndsWith("/usage", StringComparison.Ordinal) ? new[] { "billing-usage-writer" } : [];
            var body = operation["requestBody"]?["content"]?["application/json"] is { } media ? (ExampleOf(media.AsObject()) ?? ExampleOf(_schemas.Resolve(media["schema"]!)))?.ToJsonString() : null;

            async Task CallAsync(string how, HttpClient client, HttpContent? content)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = content };
                if (path.EndsWith("webhooks/stripe", StringComparison.Ordinal))
                {
                    request.Headers.TryAddWithoutValidation("Stripe-Signature", "t=1,v1=00");
                }

                using var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                if (!documented.Contains(status))
                {
                    problems.Add($"{method} {path} {how}: {status} is not documented ({string.Join(", ", documented.Order())})");
                }

                if (status >= 400)
                {
                    var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
                    problems.AddRange(_schemas.Check(problem, _document["components"]!["schemas"]!["Problem"]!).Select(p => $"{method} {path} {how} {status}: {p}"));
                }
            }

            if (secured)
            {
                using var anonymous = App.Anonymous();
                await CallAsync("without a token", anonymous, body is null ? null : Json(body));
            }

            if (roles.Length > 0)
            {
                using var plain = App.ClientFor($"oa-{Guid.NewGuid():N}"[..16]);
                await CallAsync("without the role", plain, body is null ? null : Json(body));
            }

            using var caller = roles.Length == 0 ? App.ClientFor(_subscriber, "subscriber@example.com") : App.ClientFor($"oa-{Guid.NewGuid():N}"[..16], "openapi@example.com", roles);
            if (body is not null)
            {
                await CallAsync("with a text body", caller, new StringContent("tier=professional", Encoding.UTF8, "text/plain"));
                await CallAsync("with a body of the wrong shape", caller, Json("""{"unexpected": [1, 2]}"""));
            }

            await CallAsync("as its example shows", caller, body is null ? null : Json(body));
        }

        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    private string Url(string path, JsonObject operation)
    {
        var url = path;
        var query = new List<string>();
        foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
        {
            var name = parameter!["name"]!.GetValue<string>();
            var example = parameter["example"] ?? ExampleOf(parameter["schema"]!.AsObject());
            var value = parameter["schema"]?["format"]?.GetValue<string>() == "uuid" ? Guid.NewGuid().ToString() : example?.ToString() ?? "x";
            switch (parameter["in"]!.GetValue<string>())
            {
                case "path":
                    url = url.Replace($"{{{name}}}", Uri.EscapeDataString(value), StringComparison.Ordinal);
                    break;
                case "query":
                    query.Add($"{name}={Uri.EscapeDataString(value)}");
                    break;
            }
        }

        return query.Count == 0 ? url : $"{url}?{string.Join('&', query)}";
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
