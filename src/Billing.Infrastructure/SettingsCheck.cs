using Billing.Application.Common;
using Billing.Application.Catalog;
using Microsoft.Extensions.Options;
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
        Check(services);
        return Task.CompletedTask;
    }

    /// <summary>Reads and checks every setting of the service; the first bad one throws, naming it.</summary>
    public static void Check(IServiceProvider services)
    {
        _ = services.GetRequiredService<StripeOptions>();
        _ = services.GetRequiredService<KeycloakOptions>();
        _ = services.GetRequiredService<LagoOptions>();
        _ = services.GetRequiredService<SmtpOptions>();
        _ = services.GetRequiredService<DatabaseOptions>();
        _ = services.GetRequiredService<IOptions<BillingOptions>>().Value;
        _ = services.GetRequiredService<IOptions<Billing.Application.Common.Limits.RequestBudgetOptions>>().Value;
        var workers = services.GetRequiredService<IOptionsMonitor<Messaging.WorkerOptions>>();
        _ = workers.Get(Messaging.InboxProcessor.OptionsName);
        _ = workers.Get(Messaging.OutboxRelay.OptionsName);
        _ = services.GetRequiredService<IOptions<Persistence.RetentionOptions>>().Value;
        CheckCatalogAmounts(services.GetRequiredService<IConfiguration>());
        _ = services.GetRequiredService<PlanCatalog>();
    }

    /// <summary>The binder drops an amount it cannot read without a word; a price must not vanish from the catalog so.</summary>
    private static void CheckCatalogAmounts(IConfiguration configuration)
    {
        foreach (var tier in configuration.GetSection(PlanCatalogOptions.Section + ":Tiers").GetChildren())
        {
            foreach (var price in tier.GetSection("Prices").GetChildren())
            {
                if (!long.TryParse(price.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    throw new SettingException(price.Path, "must be a whole amount in minor units (cents)");
                }
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
