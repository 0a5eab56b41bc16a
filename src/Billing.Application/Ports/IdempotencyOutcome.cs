using Billing.Application.Common;
namespace Billing.Application.Ports;

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
