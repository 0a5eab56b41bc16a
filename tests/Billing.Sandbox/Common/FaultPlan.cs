using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Common;

public enum FaultKind
{
    /// <summary>HTTP 500 with the service's error body.</summary>
    ServerError,

    /// <summary>HTTP 429 with Retry-After.</summary>
    TooManyRequests,

    /// <summary>No answer until the client gives up.</summary>
    Timeout,

    /// <summary>The connection is dropped without an answer, as when nothing listens.</summary>
    RefuseConnection,
}

/// <summary>Fail the next <see cref="Count"/> calls, or every call for <see cref="Seconds"/>; optionally only for one path prefix.</summary>
public sealed record FaultRequest(FaultKind Kind, int? Count = null, double? Seconds = null, string? PathPrefix = null, string? Method = null);

public sealed class FaultPlan
{
    private readonly Lock _gate = new();
    private readonly List<ActiveFault> _faults = [];

    public TimeSpan TimeoutDelay { get; set; } = TimeSpan.FromSeconds(100);

    public void FailNext(int count, FaultKind kind, string? pathPrefix = null, string? method = null) =>
        Add(new FaultRequest(kind, Count: count, PathPrefix: pathPrefix, Method: method));

    public void FailFor(TimeSpan period, FaultKind kind, string? pathPrefix = null, string? method = null) =>
        Add(new FaultRequest(kind, Seconds: period.TotalSeconds, PathPrefix: pathPrefix, Method: method));

    public void Add(FaultRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            _faults.Add(new ActiveFault(
                request,
                request.Count,
                request.Seconds is { } s ? DateTimeOffset.UtcNow.AddSeconds(s) : null));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    internal async Task<bool> TryApplyAsync(HttpContext context)
    {
        FaultKind? kind = null;
        lock (_gate)
        {
            _faults.RemoveAll(f => f.IsSpent);
            var fault = _faults.FirstOrDefault(f => f.Matches(context.Request));
            if (fault is not null)
            {
                fault.Consume();
                kind = fault.Request.Kind;
            }
        }

        switch (kind)
        {
            case null:
                return false;
            case FaultKind.ServerError:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await context.Response.WriteAsJsonAsync(new { error = new { type = "api_error", message = "Injected server error." } });
                return true;
            case FaultKind.TooManyRequests:
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "1";
                await context.Response.WriteAsJsonAsync(new { error = new { type = "rate_limit_error", code = "rate_limit", message = "Too many requests." } });
                return true;
            case FaultKind.Timeout:
                try
                {
                    await Task.Delay(TimeoutDelay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up, which is the point.
                }

                context.Abort();
                return true;
            default:
                context.Abort();
                return true;
        }
    }

    private sealed class ActiveFault(FaultRequest request, int? remaining, DateTimeOffset? until)
    {
        private int? _remaining = remaining;

        public FaultRequest Request { get; } = request;

        public bool IsSpent => _remaining is <= 0 || (until is { } u && DateTimeOffset.UtcNow > u);

        public bool Matches(HttpRequest http) =>
            !IsSpent &&
            (Request.PathPrefix is null || http.Path.Value!.StartsWith(Request.PathPrefix, StringComparison.Ordinal)) &&
            (Request.Method is null || string.Equals(Request.Method, http.Method, StringComparison.OrdinalIgnoreCase));

        public void Consume()
        {
            if (_remaining is not null)
            {
                _remaining--;
            }
        }
    }
}
