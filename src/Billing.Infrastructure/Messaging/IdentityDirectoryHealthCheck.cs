using Billing.Application.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Billing.Infrastructure.Messaging;

/// <summary>Keycloak and Lago out of reach make the service degraded, not down: it keeps serving and the outbox waits.</summary>
internal sealed class IdentityDirectoryHealthCheck(IServiceScopeFactory scopes, HealthProbeCache cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        cache.GetAsync("keycloak", () => ProbeAsync(CancellationToken.None));

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var health = await scope.ServiceProvider.GetRequiredService<IIdentityDirectory>().CheckAsync(cancellationToken);
        if (!health.Reachable)
        {
            return HealthCheckResult.Degraded("Keycloak is out of reach; attribute updates wait in the outbox.");
        }

        if (health.KeepsAnyAttribute)
        {
            return HealthCheckResult.Healthy("Keycloak answers; its realm has no declarative user profile (Keycloak before 24), so it keeps the attributes as written.");
        }

        return health.UndeclaredAttributes.Count == 0
            ? HealthCheckResult.Healthy("Keycloak answers.")
            : HealthCheckResult.Degraded($"Keycloak's user profile does not declare {string.Join(", ", health.UndeclaredAttributes)}: the realm would drop them. Run `keycloak setup`.");
    }
}
