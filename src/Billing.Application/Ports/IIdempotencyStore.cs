using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>Remembers the first answer to each (user, Idempotency-Key), so a retried POST does not run twice.</summary>
public interface IIdempotencyStore
{
    Task<IdempotencyClaim> ClaimAsync(string userId, string key, string operation, string requestHash, CancellationToken cancellationToken);

    Task CompleteAsync(string userId, string key, int statusCode, string responseBody, CancellationToken cancellationToken);

    /// <summary>Forgets a claim whose request failed unexpectedly, so the client may retry it.</summary>
    Task ReleaseAsync(string userId, string key, CancellationToken cancellationToken);
}
