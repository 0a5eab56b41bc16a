using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;

namespace Billing.Api.Tests;

/// <summary>Every error, whichever part of the service writes it, is one problem shape: type, title, status, code, trace_id.</summary>
public sealed class ProblemShapeTests : AppFixture
{
    private static IEnumerable<TestCaseData> Errors()
    {
        yield return new TestCaseData("no token", 401).SetName("401 without a token");
        yield return new TestCaseData("non-admin", 403).SetName("403 for a non-admin");
        yield return new TestCaseData("unknown route", 404).SetName("404 for an unknown route");
        yield return new TestCaseData("text body", 415).SetName("415 for a body that is not JSON");
        yield return new TestCaseData("bad json", 400).SetName("400 from model binding");
        yield return new TestCaseData("unknown tier", 400).SetName("400 from a handler");
        yield return new TestCaseData("no subscription", 404).SetName("404 from a handler");
        yield return new TestCaseData("bad idempotency key", 400).SetName("400 from the idempotency filter");
        yield return new TestCaseData("wrong type", 400).SetName("400 for a body of the wrong type, naming no .NET type");
    }

    private async Task<HttpResponseMessage> CauseAsync(string kind)
    {
        using var user = App.ClientFor($"ps-{Guid.NewGuid():N}"[..16]);
        using var anonymous = App.Anonymous();
        switch (kind)
        {
            case "no token":
                return await anonymous.GetAsync("/api/v1/billing/subscription-status");
            case "non-admin":
                return await user.GetAsync("/api/v1/billing/admin/webhook-events");
            case "unknown route":
                return await user.GetAsync("/api/v1/billing/nothing-here");
            case "text body":
                return await user.PostAsync("/api/v1/billing/checkout/create", new StringContent("tier=starter", Encoding.UTF8, "text/plain"));
            case "bad json":
                return await user.PostAsync("/api/v1/billing/checkout/create", new StringContent("{\"tier_id\":", Encoding.UTF8, "application/json"));
            case "unknown tier":
                return await user.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "gold", billing_cycle = "monthly" });
            case "no subscription":
                return await user.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { });
            case "bad idempotency key":
                var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/subscription/cancel") { Content = JsonContent.Create(new { }) };
                request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 300));
                return await user.SendAsync(request);
            default:
                return await user.PostAsync("/api/v1/billing/subscription/upgrade", new StringContent("[1,2]", Encoding.UTF8, "application/json"));
        }
    }

    [TestCaseSource(nameof(Errors))]
    public async Task Problem(string kind, int status)
    {
        using var response = await CauseAsync(kind);
        var body = await response.Content.ReadAsStringAsync();
        var problem = JsonNode.Parse(body)!.AsObject();

        Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(problem["type"]!.GetValue<string>(), Is.EqualTo($"https://httpstatuses.io/{status}"));
        Assert.That(problem["status"]!.GetValue<int>(), Is.EqualTo(status));
        Assert.That(problem["title"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(problem["code"]!.GetValue<string>(), Does.Match("^[a-z_]+$"));
        Assert.That(problem["trace_id"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(problem.ContainsKey("traceId"), Is.False, "one trace id field");
        Assert.That(body, Does.Not.Contain("Billing.").And.Not.Contain("System."), "no .NET type names");
    }

    [Test]
    public async Task A_cancel_with_no_body_at_all_is_read_as_the_defaults()
    {
        using var user = App.ClientFor($"ps-{Guid.NewGuid():N}"[..16]);

        using var response = await user.PostAsync("/api/v1/billing/subscription/cancel", null);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "every field of a cancel is optional: not 415");
        Assert.That(problem!["code"]!.GetValue<string>(), Is.EqualTo("subscription_not_found"));
    }
}
