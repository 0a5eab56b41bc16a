using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests.Support;

/// <summary>Builds Stripe events in the current API shapes, signs them as Stripe does, and posts them to the API.</summary>
public static class Webhooks
{
    public const string Path = "/api/v1/billing/webhooks/stripe";

    public static JsonObject Event(string type, JsonObject dataObject, string? id = null, string apiVersion = StripeStandIn.ApiVersion, DateTimeOffset? created = null, JsonObject? previousAttributes = null)
    {
        var data = new JsonObject { ["object"] = dataObject.DeepClone() };
        if (previousAttributes is not null)
        {
            data["previous_attributes"] = previousAttributes;
        }

        return new JsonObject
        {
            ["id"] = id ?? $"evt_test_{Guid.NewGuid():N}",
            ["object"] = "event",
            ["api_version"] = apiVersion,
            ["created"] = (created ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
            ["data"] = data,
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
            ["type"] = type,
        };
    }

    /// <summary>An invoice of the subscription, in the shape that replaced <c>invoice.subscription</c> with <c>parent.subscription_details</c>.</summary>
    public static JsonObject Invoice(JsonObject subscription, string status) => new()
    {
        ["id"] = $"in_test_{Guid.NewGuid():N}",
        ["object"] = "invoice",
        ["customer"] = subscription["customer"]!.GetValue<string>(),
        ["status"] = status,
        ["amount_due"] = 1900,
        ["amount_paid"] = status == "paid" ? 1900 : 0,
        ["currency"] = "usd",
        ["parent"] = new JsonObject
        {
            ["type"] = "subscription_details",
            ["subscription_details"] = new JsonObject { ["subscription"] = subscription["id"]!.GetValue<string>(), ["metadata"] = subscription["metadata"]?.DeepClone() },
        },
    };

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, JsonObject evt, string secret = BillingApp.WebhookSecret, DateTimeOffset? signedAt = null) =>
        await PostRawAsync(client, evt.ToJsonString(), StripeSignature.Header(evt.ToJsonString(), secret, signedAt));

    public static async Task<HttpResponseMessage> PostRawAsync(HttpClient client, string payload, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Waits until the inbox holds no pending event, as the admin API reports it.</summary>
    public static async Task WaitUntilProcessedAsync(HttpClient admin, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var pending = await admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/webhook-events?status=pending&limit=500");
            if (pending!.Count == 0)
            {
                return;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"{pending.Count} Stripe event(s) still pending: {pending.ToJsonString()}");
            }

            await Task.Delay(25);
        }
    }

    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await read();
            if (done(value) || DateTimeOffset.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(25);
        }
    }
}
