using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>
/// What the real Stripe does under load and with odd inputs (S1, S5): 409 for a key still in flight, 429 with no
/// Retry-After, keys of at most 255 characters. The service retries the first two with backoff, and hashes keys.
/// </summary>
public sealed class StripeLimitsTests : AppFixture
{
    [TearDown]
    public void Reset()
    {
        App.Stripe.Latency = TimeSpan.Zero;
        App.Stripe.RateLimits.EndpointPerSecond = 25;
        App.Stripe.RateLimits.GlobalPerSecond = 100;
        App.Stripe.RateLimits.Reset();
    }

    private static bool IsPrintableAscii(string key) => key.All(c => c is >= '!' and <= '~');

    [Test]
    public async Task Idempotency_keys_sent_to_Stripe_are_short_printable_ascii_whatever_the_user_id_or_the_callers_key()
    {
        // Keycloak's federated subjects look like this; a caller's Idempotency-Key may be any length.
        var userId = "f:ldap-corp:josé.ñúñez-" + new string('x', 90);
        using var client = App.ClientFor(userId);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/checkout/create") { Content = JsonContent.Create(new { tier_id = "starter", billing_cycle = "monthly" }) };
        request.Headers.Add("Idempotency-Key", "retry-" + new string('k', 249));

        using var response = await client.SendAsync(request);
        var keys = App.Stripe.Requests.All.Where(r => r.IdempotencyKey is not null && r.Form.Values.Any(v => v.Contains("josé", StringComparison.Ordinal))).Select(r => r.IdempotencyKey!).ToList();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(keys, Has.Count.GreaterThanOrEqualTo(2), "customer and session");
        Assert.That(keys, Has.All.Length.LessThanOrEqualTo(StripeStandIn.MaxIdempotencyKeyLength));
        Assert.That(keys.All(IsPrintableAscii), Is.True);
    }

    [Test]
    public async Task Concurrent_first_checkouts_ride_out_Stripes_409_for_a_key_in_flight_and_end_with_one_customer()
    {
        App.Stripe.Latency = TimeSpan.FromMilliseconds(300);
        var userId = $"u-{Guid.NewGuid():N}"[..18];
        using var client = App.ClientFor(userId);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/checkout/create") { Content = JsonContent.Create(new { tier_id = "starter", billing_cycle = "monthly" }) };
            request.Headers.Add("Idempotency-Key", $"tab-{i}");
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }));
        var customerPosts = App.Stripe.Requests.Matching("POST", "/v1/customers").Where(r => r.Form.GetValueOrDefault("metadata[keycloak_user_id]") == userId).ToList();

        Assert.That(customerPosts.Count(r => r.Status == 409), Is.GreaterThan(0), "Stripe refused a request whose key was still running");
        Assert.That(answers, Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(customerPosts.Where(r => r.Status == 200).Select(r => r.IdempotencyKey).Distinct().Count(), Is.EqualTo(1), "one customer, however many tried");
    }

    [Test]
    public async Task A_user_request_Stripe_keeps_rate_limiting_is_503_with_retry_after_after_the_retries()
    {
        using var client = App.ClientFor($"u-{Guid.NewGuid():N}"[..18]);
        App.Stripe.RateLimits.EndpointPerSecond = 0;

        using var limited = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });
        var problem = await limited.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(limited.Headers.RetryAfter, Is.Not.Null);
        Assert.That(problem!["code"]!.GetValue<string>(), Is.EqualTo("stripe_rate_limited"));
        Assert.That(App.Stripe.Requests.Matching("POST", "/v1/customers").Count(r => r.Status == 429), Is.GreaterThanOrEqualTo(3), "retried with backoff first");
    }

    [Test]
    public async Task Background_processing_waits_out_Stripes_rate_limit_without_spending_its_attempts()
    {
        var subscriptions = Enumerable.Range(0, 12).Select(i => App.Stripe.SeedSubscription("starter_monthly", $"rl-{Guid.NewGuid():N}"[..16])).ToList();
        App.Stripe.RateLimits.EndpointPerSecond = 2;
        using var anonymous = App.Anonymous();
        foreach (var (_, subscriptionId) in subscriptions)
        {
            var subscription = App.Stripe.Subscription(subscriptionId)!;
            using var accepted = await Webhooks.PostAsync(anonymous, Webhooks.Event("customer.subscription.updated", subscription));
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await Webhooks.WaitUntilProcessedAsync(Admin, TimeSpan.FromSeconds(60));
        var processed = (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/webhook-events?limit=100"))!
            .Where(e => subscriptions.Any(s => e!["outcome"]?.GetValue<string>()?.Contains(s.SubscriptionId, StringComparison.Ordinal) == true)).ToList();
        var failed = await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/webhook-events?status=failed");

        Assert.That(App.Stripe.RateLimits.Refused, Is.GreaterThan(0), "Stripe did refuse requests");
        Assert.That(processed, Has.Count.EqualTo(subscriptions.Count));
        Assert.That(processed.Select(e => e!["attempts"]!.GetValue<int>()), Is.All.EqualTo(1), "a rate limit spends no attempt");
        Assert.That(failed, Is.Empty);
    }
}
