using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Common;

/// <summary>One request as the stand-in received it.</summary>
public sealed record RecordedRequest(
    DateTimeOffset At,
    string Method,
    string Path,
    string Query,
    string Body,
    string? Authorization,
    string? IdempotencyKey,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The form fields of a form-encoded body, decoded.</summary>
    public IReadOnlyDictionary<string, string> Form => FormBody.Parse(Body);

    /// <summary>The status the stand-in answered (0 while it has not answered, or when the connection was dropped).</summary>
    public int Status { get; internal set; }
}

public sealed class RequestLog
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public IReadOnlyList<RecordedRequest> All => _requests.ToArray();

    public IReadOnlyList<RecordedRequest> Matching(string method, string pathPrefix) =>
        All.Where(r => r.Method == method && r.Path.StartsWith(pathPrefix, StringComparison.Ordinal)).ToList();

    public int Count(string method, string pathPrefix) => Matching(method, pathPrefix).Count;

    /// <summary>
    /// The one request of this method and path that <paramref name="match"/> picks, counting a client's retries of it
    /// (Stripe.net sends a slow request again, under the same Idempotency-Key) as one: the last one sent. Throws when
    /// none matches, or when requests of different keys do (two requests, not one retried).
    /// </summary>
    public RecordedRequest Single(string method, string pathPrefix, Func<RecordedRequest, bool> match)
    {
        var sent = Matching(method, pathPrefix).Where(match).ToList();
        return sent.Select(r => r.IdempotencyKey).Distinct().Count() == 1
            ? sent[^1]
            : throw new InvalidOperationException($"Expected one {method} {pathPrefix} (retries under one key count once); found {sent.Count} under {sent.Select(r => r.IdempotencyKey).Distinct().Count()} keys.");
    }

    public void Clear() => _requests.Clear();

    /// <summary>Requests of this method and path the stand-in answered with a 2xx (not refused by a rate limit or a fault).</summary>
    public int CountAnswered(string method, string pathPrefix) => Matching(method, pathPrefix).Count(r => r.Status is >= 200 and < 300);

    internal async Task<RecordedRequest> RecordAsync(HttpContext context)
    {
        context.Request.EnableBuffering();
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
        var body = await reader.ReadToEndAsync();
        context.Request.Body.Position = 0;
        var recorded = new RecordedRequest(
            DateTimeOffset.UtcNow,
            context.Request.Method,
            context.Request.Path.Value ?? "/",
            context.Request.QueryString.Value ?? string.Empty,
            body,
            context.Request.Headers.Authorization.FirstOrDefault(),
            context.Request.Headers["Idempotency-Key"].FirstOrDefault(),
            context.Request.ContentType,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        _requests.Enqueue(recorded);
        return recorded;
    }
}

public static class FormBody
{
    /// <summary>Decodes application/x-www-form-urlencoded text; a repeated key keeps its last value.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string body)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(body))
        {
            return result;
        }

        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            result[key] = value;
        }

        return result;
    }
}
