using Billing.Application.Common.Results;

namespace Billing.Application.Ports;

/// <summary>
/// The customer portal configuration this service manages in the payment provider (one, marked as its own). Adapters
/// map SDK types to this port's records; none cross it.
/// </summary>
public interface IPortalConfigurationGateway
{
    /// <summary>The active configuration this service made; null when <c>catalog sync</c> has not made one yet.</summary>
    Task<Result<PortalConfiguration?>> FindManagedAsync(CancellationToken cancellationToken);

    Task<Result<PortalConfiguration>> CreateAsync(PortalConfiguration configuration, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result<PortalConfiguration>> UpdateAsync(PortalConfiguration configuration, CancellationToken cancellationToken);
}
