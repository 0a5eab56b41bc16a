using System.Net;
using System.Net.Http.Json;
using Billing.Api.Tests.Support;

namespace Billing.Api.Tests;

/// <summary>
/// Each user's budget of requests that reach Stripe: every endpoint that calls Stripe spends from it, nothing that
/// stops before Stripe does, and on PostgreSQL every instance counts against the same window.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class RequestBudgetTests(Database database)
{
    private static string NewUser() => $"rb-{Guid.NewGuid():N}"[..18];

    [Test]
    public async Task Failures_that_never_reach_Stripe_cost_nothing()
    {
        await using var app = await BillingApp.StartWithCatalogAsync(database, s => s["Billing:RateLimit:PermitLimit"] = "2");
        using var client = app.ClientFor(NewUser());

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var cancel = await client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { });
            using var upgrade = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "gold", billing_cycle = "monthly" });
            answers.Add(cancel.StatusCode);
            answers.Add(upgrade.StatusCode);
        }

        Assert.That(answers.Distinct(), Is.EquivalentTo(new[] { HttpStatusCode.NotFound, HttpStatusCode.BadRequest }), "no 429 among them");
    }

    [TestCase("POST", "/api/v1/billing/portal/create")]
    [TestCase("GET", "/api/v1/billing/payment-methods")]
    [TestCase("POST", "/api/v1/billing/checkout/create")]
    public async Task Every_endpoint_that_calls_Stripe_is_limited_per_user_with_retry_after(string method, string path)
    {
        // An hour's window: a window that ends between the requests (a minute's does, now and then) would reset the count.
        await using var app = await BillingApp.StartWithCatalogAsync(database, s =>
        {
            s["Billing:RateLimit:PermitLimit"] = "3";
            s["Billing:RateLimit:Window"] = "01:00:00";
        });
        using var client = app.ClientFor(NewUser());
        using var other = app.ClientFor(NewUser());
        var call = 0;

        // Alternating the tier makes each checkout reach Stripe (the same choice would get its open session back).
        async Task<HttpResponseMessage> CallAsync(HttpClient c) => method == "GET"
            ? await c.GetAsync(path)
            : await c.PostAsJsonAsync(path, new { tier_id = call++ % 2 == 0 ? "starter" : "professional", billing_cycle = "monthly" });

        // Opening the portal links a Stripe customer (one request of the budget); from then on every call reaches Stripe.
        using (var linked = await client.PostAsync("/api/v1/billing/portal/create", null))
        {
            Assert.That(linked.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using (var linkedOther = await other.PostAsync("/api/v1/billing/portal/create", null))
        {
            Assert.That(linkedOther.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await CallAsync(client);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.That(response.Headers.RetryAfter, Is.Not.Null);
                Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
            }
        }

        using var others = await CallAsync(other);

        Assert.That(statuses.Take(2), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(statuses.Skip(2), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(others.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another user has a budget of their own");
    }

    [Test]
    public async Task Two_instances_share_one_window()
    {
        // An hour's window: a window that ends between the requests (a minute's does, now and then) would reset the count.
        await using var app = await BillingApp.StartWithCatalogAsync(database, s =>
        {
            s["Billing:RateLimit:PermitLimit"] = "3";
            s["Billing:RateLimit:Window"] = "01:00:00";
        });
        var second = app.AddHost();
        var userId = NewUser();
        var token = app.Keycloak.IssueToken(userId, $"{userId}@example.com");
        using var one = app.WithToken(token);
        using var two = second.CreateClient();
        two.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        using (var linked = await one.PostAsync("/api/v1/billing/portal/create", null))
        {
            Assert.That(linked.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await (i % 2 == 0 ? two : one).GetAsync("/api/v1/billing/payment-methods");
            statuses.Add(response.StatusCode);
        }

        // The portal spent one request of three, on the first instance; two more pass, on either instance.
        Assert.That(statuses.Take(2), Is.All.EqualTo(HttpStatusCode.OK), string.Join(", ", statuses));
        Assert.That(statuses.Skip(2), Is.All.EqualTo(HttpStatusCode.TooManyRequests), string.Join(", ", statuses));
    }
}
