namespace Billing.Infrastructure.Stripe;

/// <summary>
/// Stripe answers 429 to a burst (with no Retry-After) and 409 <c>idempotency_key_in_use</c> while a request with
/// the same key still runs; Stripe.net retries neither the first nor, past its two tries, the second. Both are
/// retried here with exponential backoff and jitter, within a short budget so a user's request still answers
/// in time; what cannot go through in it becomes "busy, retry after" for the caller.
/// </summary>
internal sealed class StripeRetryPolicy
{
    public int MaxAttempts { get; init; } = 4;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The wait before retry number <paramref name="attempt"/> (1-based): random up to base × 2^(attempt−1), capped.</summary>
    public TimeSpan DelayBefore(int attempt)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(ceiling / 2 + (Random.Shared.NextDouble() * ceiling / 2));
    }
}
