using System.Net;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Stripe;
using Stripe.Entitlements;

namespace Billing.Infrastructure.Stripe;

/// <summary>Stripe Entitlements: features, and the products that carry them.</summary>
internal sealed partial class StripePaymentGateway
{
    public Task<Result<IReadOnlyList<GatewayFeature>>> ListFeaturesAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<GatewayFeature>>("list entitlement features", async client =>
        {
            var all = new List<GatewayFeature>();
            await foreach (var feature in new FeatureService(client).ListAutoPagingAsync(new FeatureListOptions { Archived = false, Limit = 100 }, cancellationToken: cancellationToken))
            {
                all.Add(ToGatewayFeature(feature));
            }

            return all;
        });

    public Task<Result<GatewayFeature>> CreateFeatureAsync(GatewayFeature feature, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("create entitlement feature", async client =>
            ToGatewayFeature(await new FeatureService(client).CreateAsync(
                new FeatureCreateOptions { LookupKey = feature.LookupKey, Name = feature.Name, Metadata = feature.Metadata.ToDictionary() },
                Keyed(idempotencyKey),
                cancellationToken)));

    public Task<Result<IReadOnlyList<GatewayProductFeature>>> ListProductFeaturesAsync(string productId, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<GatewayProductFeature>>("list product features", async client =>
        {
            var all = new List<GatewayProductFeature>();
            try
            {
                await foreach (var attached in new ProductFeatureService(client).ListAutoPagingAsync(productId, new ProductFeatureListOptions { Limit = 100 }, cancellationToken: cancellationToken))
                {
                    all.Add(new GatewayProductFeature(attached.Id, ToGatewayFeature(attached.EntitlementFeature)));
                }
            }
            catch (StripeException e) when (e.HttpStatusCode == HttpStatusCode.NotFound && e.StripeError?.Code == "resource_missing")
            {
                // No such product yet (a dry run before the catalog's first sync): it carries nothing.
            }

            return all;
        });

    public Task<Result<GatewayProductFeature>> AttachFeatureAsync(string productId, string featureId, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("attach entitlement feature", async client =>
        {
            var attached = await new ProductFeatureService(client).CreateAsync(productId, new ProductFeatureCreateOptions { EntitlementFeature = featureId }, Keyed(idempotencyKey), cancellationToken);
            return new GatewayProductFeature(attached.Id, ToGatewayFeature(attached.EntitlementFeature));
        });

    public Task<Result<bool>> DetachFeatureAsync(string productId, string productFeatureId, CancellationToken cancellationToken) =>
        CallAsync("detach entitlement feature", async client =>
        {
            var deleted = await new ProductFeatureService(client).DeleteAsync(productId, productFeatureId, cancellationToken: cancellationToken);
            return deleted.Deleted == true;
        });

    private static GatewayFeature ToGatewayFeature(Feature feature) =>
        new(feature.Id, feature.LookupKey, feature.Name, feature.Metadata ?? new Dictionary<string, string>());
}
