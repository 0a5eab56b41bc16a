using Billing.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Stripe;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// Degraded while Stripe sends events in another API version than the one the service parses (seen in the inbox
/// within <see cref="Window"/>, by any instance): their objects are read from Stripe instead, which costs the reads
/// renewal day should not need. <c>webhooks setup</c> pins the endpoint's version.
/// </summary>
internal sealed class StripeApiVersionHealthCheck(IServiceScopeFactory scopes, TimeProvider clock, Messaging.HealthProbeCache cache) : IHealthCheck
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        cache.GetAsync("stripe_api_version", () => ProbeAsync(CancellationToken.None));

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var pinned = StripeConfiguration.ApiVersion;
        var since = clock.GetUtcNow() - Window;
        var seen = await db.StripeEvents.AsNoTracking()
            .Where(e => e.ReceivedAt >= since && e.ApiVersion != null && e.ApiVersion != pinned)
            .OrderByDescending(e => e.ReceivedAt)
            .Select(e => new { e.ApiVersion, e.ReceivedAt })
            .FirstOrDefaultAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["pinned_api_version"] = pinned };
        if (seen is null)
        {
            return HealthCheckResult.Healthy($"Stripe's events are in the pinned API version {pinned}.", data);
        }

        data["seen_api_version"] = seen.ApiVersion!;
        data["last_seen_at"] = seen.ReceivedAt;
        return HealthCheckResult.Degraded(
            $"Stripe sent events in API version {seen.ApiVersion} (last at {seen.ReceivedAt:O}); this service parses {pinned}, so their objects are read from Stripe. Run `webhooks setup` to pin the endpoint's version.",
            data: data);
    }
}
