using Billing.Application.Common.Catalog;
using Billing.Infrastructure.Configuration;
using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Infrastructure.Keycloak;
using Billing.Infrastructure.Lago;
using Billing.Infrastructure.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Refit;
using Billing.Infrastructure.Persistence;
using Billing.Infrastructure.Stripe;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Billing.Infrastructure;

/// <summary>Reads every setting once at start, so a missing or bad one stops the host with a message naming it.</summary>
internal sealed class SettingsCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<StripeOptions>();
        _ = services.GetRequiredService<KeycloakOptions>();
        _ = services.GetRequiredService<LagoOptions>();
        _ = services.GetRequiredService<DatabaseOptions>();
        _ = services.GetRequiredService<PlanCatalog>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
