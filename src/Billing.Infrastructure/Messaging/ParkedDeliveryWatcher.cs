using Billing.Application.AccountSync.Release;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Messaging;

/// <summary>
/// Every <see cref="ParkedDeliveryOptions.Interval"/>, releases the Keycloak deliveries parked for undeclared
/// attributes once the realm declares them (<see cref="ReleaseDeclaredAttributeDeliveries"/>). Several instances may
/// all do it: releasing is one update of the parked rows, and a released row is no longer parked.
/// </summary>
internal sealed class ParkedDeliveryWatcher(IServiceScopeFactory scopes, IOptions<ParkedDeliveryOptions> options, TimeProvider clock, ILogger<ParkedDeliveryWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<Persistence.ScopeRole>().Worker = true;
                var released = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ReleaseDeclaredAttributeDeliveries(), stoppingToken);
                if (released is { IsSuccess: true, Value: > 0 })
                {
                    logger.LogInformation("The realm now declares the billing attributes: {Count} parked Keycloak deliveries go again", released.Value);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next tick looks again; the store or Keycloak being away now changes nothing that is parked.
                logger.LogWarning(e, "Looking at parked Keycloak deliveries failed; trying again in {Interval}", options.Value.Interval);
            }
        }
    }
}
