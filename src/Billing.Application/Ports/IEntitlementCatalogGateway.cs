using Billing.Application.Common.Results;

namespace Billing.Application.Ports;

/// <summary>
/// The catalog's entitlements in the payment provider: features, and which product (tier) carries which. Adapters map
/// SDK types to this port's records; none cross it.
/// </summary>
public interface IEntitlementCatalogGateway
{
    /// <summary>Every active (not archived) feature.</summary>
    Task<Result<IReadOnlyList<GatewayFeature>>> ListFeaturesAsync(CancellationToken cancellationToken);

    Task<Result<GatewayFeature>> CreateFeatureAsync(GatewayFeature feature, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>The features attached to the product; none when the product does not exist (yet).</summary>
    Task<Result<IReadOnlyList<GatewayProductFeature>>> ListProductFeaturesAsync(string productId, CancellationToken cancellationToken);

    Task<Result<GatewayProductFeature>> AttachFeatureAsync(string productId, string featureId, string idempotencyKey, CancellationToken cancellationToken);

    Task<Result<bool>> DetachFeatureAsync(string productId, string productFeatureId, CancellationToken cancellationToken);
}
