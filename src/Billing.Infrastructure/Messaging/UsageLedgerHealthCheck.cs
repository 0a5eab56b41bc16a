using Billing.Application.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Billing.Infrastructure.Messaging;

internal sealed class UsageLedgerHealthCheck(IServiceScopeFactory scopes, HealthProbeCache cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        cache.GetAsync("lago", () => ProbeAsync(CancellationToken.None));

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var ledger = scope.ServiceProvider.GetRequiredService<IUsageLedger>();
        if (!ledger.Enabled)
        {
            return HealthCheckResult.Healthy("Lago is not configured.");
        }

        return await ledger.IsReachableAsync(cancellationToken)
            ? HealthCheckResult.Healthy("Lago answers.")
            : HealthCheckResult.Degraded("Lago is out of reach; usage updates wait in the outbox.");
    }
}
