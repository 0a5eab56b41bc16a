namespace Billing.Application.Common.Ports;

public enum IdempotencyOutcome
{
    /// <summary>First use of the key: the request runs.</summary>
    Started,

    /// <summary>The same request was answered before: replay <see cref="IdempotencyClaim.StatusCode"/> and body.</summary>
    Replay,

    /// <summary>The key was used for a different request.</summary>
    Mismatch,

    /// <summary>The first request with this key has not finished yet.</summary>
    InProgress,
}

public sealed record IdempotencyClaim(IdempotencyOutcome Outcome, int? StatusCode = null, string? ResponseBody = null);

/// <summary>Remembers the first answer to each (user, Idempotency-Key), so a retried POST does not run twice.</summary>
public interface IIdempotencyStore
{
    Task<IdempotencyClaim> ClaimAsync(string userId, string key, string operation, string requestHash, CancellationToken cancellationToken);

    Task CompleteAsync(string userId, string key, int statusCode, string responseBody, CancellationToken cancellationToken);

    /// <summary>Forgets a claim whose request failed unexpectedly, so the client may retry it.</summary>
    Task ReleaseAsync(string userId, string key, CancellationToken cancellationToken);
}
