using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Billing.Sandbox.Stripe;

public enum DeliveryOrder
{
    AsEmitted,
    Reversed,
    Shuffled,
}

public sealed record WebhookDelivery(string EventId, string Type, int Attempt, int StatusCode, DateTimeOffset At);

/// <summary>Stripe's signature scheme: <c>t=timestamp,v1=hex(HMAC-SHA256(secret, "timestamp.payload"))</c>.</summary>
public static class StripeSignature
{
    public static string Header(string payload, string secret, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        return $"t={timestamp},v1={Compute(payload, secret, timestamp)}";
    }

    public static string Compute(string payload, string secret, long timestamp)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return Convert.ToHexStringLower(mac);
    }
}

/// <summary>
/// Delivers events to the configured endpoint as Stripe does: POST, JSON body, Stripe-Signature header, and
/// retries with backoff while the endpoint answers anything but 2xx. Can duplicate and reorder on request.
/// </summary>
public sealed class WebhookSender
{
    private readonly Channel<List<JsonObject>> _queue = Channel.CreateUnbounded<List<JsonObject>>();
    private readonly ConcurrentQueue<WebhookDelivery> _deliveries = new();
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private int _inFlight;
    private HttpClient? _client;

    public Uri? Url { get; private set; }

    public string? Secret { get; private set; }

    /// <summary>Waits between attempts; Stripe's own schedule spans three days, tests want it short.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; set; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)];

    /// <summary>How many times each event is sent (Stripe may deliver an event more than once).</summary>
    public int Copies { get; set; } = 1;

    public DeliveryOrder Order { get; set; } = DeliveryOrder.AsEmitted;

    public IReadOnlyList<WebhookDelivery> Deliveries => _deliveries.ToArray();

    /// <summary>True while no batch is queued and no delivery or retry is pending.</summary>
    public bool IsIdle => _queue.Reader.Count == 0 && Volatile.Read(ref _inFlight) == 0;

    /// <summary>Where events go; <paramref name="client"/> lets a test deliver to an in-memory test server.</summary>
    public void Configure(Uri url, string secret, HttpClient? client = null)
    {
        Url = url;
        Secret = secret;
        _client = client;
    }

    internal void Enqueue(List<JsonObject> batch)
    {
        if (Url is not null)
        {
            Interlocked.Increment(ref _inFlight);
            _queue.Writer.TryWrite(batch);
        }
    }

    internal void Start() => _ = Task.Run(RunAsync);

    public async Task WaitUntilIdleAsync(TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!IsIdle)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("Webhook deliveries did not finish in time.");
            }

            await Task.Delay(20);
        }
    }

    private async Task RunAsync()
    {
        await foreach (var batch in _queue.Reader.ReadAllAsync())
        {
            var sends = Order switch
            {
                DeliveryOrder.Reversed => Enumerable.Reverse(batch).ToList(),
                DeliveryOrder.Shuffled => batch.OrderBy(_ => Random.Shared.Next()).ToList(),
                _ => batch,
            };
            foreach (var evt in sends)
            {
                for (var copy = 0; copy < Math.Max(1, Copies); copy++)
                {
                    Interlocked.Increment(ref _inFlight);
                    await DeliverWithRetriesAsync(evt);
                }
            }

            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>The first attempt inline; retries, if any, in the background, so later events are not held back (as with Stripe).</summary>
    private async Task DeliverWithRetriesAsync(JsonObject evt)
    {
        var payload = evt.ToJsonString();
        if (!await AttemptAsync(evt, payload, 1))
        {
            _ = Task.Run(async () =>
            {
                for (var attempt = 2; ; attempt++)
                {
                    await Task.Delay(RetryDelays[attempt - 2]);
                    if (await AttemptAsync(evt, payload, attempt))
                    {
                        return;
                    }
                }
            });
        }
    }

    /// <summary>One delivery attempt; true when the event is done with (delivered, or out of retries).</summary>
    private async Task<bool> AttemptAsync(JsonObject evt, string payload, int attempt)
    {
        var status = await SendOnceAsync(payload);
        _deliveries.Enqueue(new WebhookDelivery(evt["id"]!.GetValue<string>(), evt["type"]!.GetValue<string>(), attempt, status, DateTimeOffset.UtcNow));
        if (status is >= 200 and < 300 || attempt > RetryDelays.Count)
        {
            Interlocked.Decrement(ref _inFlight);
            return true;
        }

        return false;
    }

    private async Task<int> SendOnceAsync(string payload)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Stripe-Signature", StripeSignature.Header(payload, Secret!));
            request.Headers.UserAgent.ParseAdd("Stripe/1.0 (+https://stripe.com/docs/webhooks)");
            using var response = await (_client ?? Http).SendAsync(request);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
        catch (TaskCanceledException)
        {
            return 0;
        }
    }
}
