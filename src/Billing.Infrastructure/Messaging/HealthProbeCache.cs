using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Billing.Infrastructure.Messaging;

/// <summary>
/// Keeps each probe's answer for a few seconds: <c>/health/ready</c> is anonymous, and without this every call
/// would be a request to Keycloak and to Lago. Concurrent callers share the one probe in flight.
/// </summary>
internal sealed class HealthProbeCache(TimeProvider clock, IConfiguration configuration)
{
    /// <summary>How long an answer is kept (<c>Billing:Health:ProbeCache</c>, 5 seconds by default).</summary>
    public TimeSpan Lifetime { get; } = configuration.GetValue("Billing:Health:ProbeCache", TimeSpan.FromSeconds(5));
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Task<HealthCheckResult> Probe)> _probes = new(StringComparer.Ordinal);

    public Task<HealthCheckResult> GetAsync(string name, Func<Task<HealthCheckResult>> probe)
    {
        var now = clock.GetUtcNow();
        var entry = _probes.AddOrUpdate(
            name,
            _ => (now, probe()),
            (_, current) => now - current.At < Lifetime && !current.Probe.IsFaulted ? current : (now, probe()));
        return entry.Probe;
    }
}
