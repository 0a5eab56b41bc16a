namespace Billing.Sandbox.Stripe;

/// <summary>
/// Stripe's request rate limits: per account (100/s live, 25/s in a sandbox) and per endpoint (25/s unless stated
/// otherwise, where "endpoint" is the method and path pattern, so reads of different subscriptions share one
/// budget). A request over either limit is refused with 429 and <c>Stripe-Rate-Limited-Reason</c>, never queued.
/// </summary>
public sealed class StripeRateLimiter
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _global = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _byEndpoint = new(StringComparer.Ordinal);
    private int _refused;

    /// <summary>Requests per second for the whole account; null turns the limit off.</summary>
    public int? GlobalPerSecond { get; set; } = 100;

    /// <summary>Requests per second for one endpoint; null turns the limit off.</summary>
    public int? EndpointPerSecond { get; set; } = 25;

    /// <summary>How many requests were refused with 429 since start.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Counts the request and returns null, or the reason it is refused (<c>endpoint-rate</c>, <c>global-rate</c>).</summary>
    public string? TryAdmit(string endpoint, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_byEndpoint.TryGetValue(endpoint, out var perEndpoint))
            {
                perEndpoint = new Queue<DateTimeOffset>();
                _byEndpoint[endpoint] = perEndpoint;
            }

            Expire(_global, now);
            Expire(perEndpoint, now);
            string? reason = null;
            if (EndpointPerSecond is { } endpointLimit && perEndpoint.Count >= endpointLimit)
            {
                reason = "endpoint-rate";
            }
            else if (GlobalPerSecond is { } globalLimit && _global.Count >= globalLimit)
            {
                reason = "global-rate";
            }

            if (reason is not null)
            {
                _refused++;
                return reason;
            }

            _global.Enqueue(now);
            perEndpoint.Enqueue(now);
            return null;
        }
    }

    /// <summary>Forgets the requests counted so far (between tests).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _global.Clear();
            _byEndpoint.Clear();
        }
    }

    private static void Expire(Queue<DateTimeOffset> window, DateTimeOffset now)
    {
        while (window.Count > 0 && now - window.Peek() >= Window)
        {
            window.Dequeue();
        }
    }
}
