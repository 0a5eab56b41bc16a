using Billing.Application.Common.Results;
using Billing.Application.Ports;

namespace Billing.Application.Catalog.Publish;

/// <summary>
/// Mirrors the catalog's entitlements as Stripe Entitlements features attached to each tier's product, so Stripe's
/// own entitlement summaries agree with what this service answers. A switch that is on is one feature
/// (<c>billing:sso</c>); a number is one feature per value (<c>billing:seats:5</c>), since a feature carries no
/// amount of its own; a switch that is off is not attached. Features this service made (metadata
/// <c>managed_by</c>) that a tier no longer names are detached from it; others attached by hand stay. A second run
/// changes nothing.
/// </summary>
public sealed class EntitlementPublisher(PlanCatalog catalog, IEntitlementCatalogGateway gateway)
{
    public async Task<Result<IReadOnlyList<CatalogChange>>> PublishAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var changes = new List<CatalogChange>();
        if (!catalog.HasEntitlements)
        {
            return changes;
        }

        var existing = await gateway.ListFeaturesAsync(cancellationToken);
        if (!existing.IsSuccess)
        {
            return existing.Error!;
        }

        var features = existing.Value.ToDictionary(f => f.LookupKey, StringComparer.Ordinal);
        foreach (var wanted in catalog.Tiers.SelectMany(t => t.Entitlements).Select(FeatureOf).OfType<GatewayFeature>().DistinctBy(f => f.LookupKey))
        {
            if (features.ContainsKey(wanted.LookupKey))
            {
                continue;
            }

            changes.Add(new CatalogChange("create feature", wanted.LookupKey, wanted.Name));
            if (dryRun)
            {
                features[wanted.LookupKey] = wanted;
                continue;
            }

            var created = await gateway.CreateFeatureAsync(wanted, $"billing-feature-{wanted.LookupKey}", cancellationToken);
            if (!created.IsSuccess)
            {
                return created.Error!;
            }

            features[wanted.LookupKey] = created.Value;
        }

        foreach (var tier in catalog.Tiers)
        {
            var attached = await AttachAsync(tier, features, dryRun, changes, cancellationToken);
            if (!attached.IsSuccess)
            {
                return attached.Error!;
            }
        }

        return changes;
    }

    /// <summary>The feature an entitlement is in Stripe; null for a switch that is off (nothing to attach).</summary>
    public static GatewayFeature? FeatureOf(Entitlement entitlement)
    {
        ArgumentNullException.ThrowIfNull(entitlement);
        if (entitlement.Enabled == false)
        {
            return null;
        }

        var lookupKey = entitlement.Limit is { } ? $"billing:{entitlement.Key}:{entitlement.ValueText}" : $"billing:{entitlement.Key}";
        var name = entitlement.Limit is { } ? $"{entitlement.Key}: {entitlement.ValueText}" : entitlement.Key;
        return new GatewayFeature(string.Empty, lookupKey, name, new Dictionary<string, string>
        {
            [BillingMetadata.ManagedBy] = BillingMetadata.ThisService,
            ["billing_feature"] = entitlement.Key,
            ["billing_value"] = entitlement.ValueText,
        });
    }

    private async Task<Result<bool>> AttachAsync(CatalogTier tier, Dictionary<string, GatewayFeature> features, bool dryRun, List<CatalogChange> changes, CancellationToken cancellationToken)
    {
        var productId = catalog.ProductId(tier.Tier);
        var onProduct = await gateway.ListProductFeaturesAsync(productId, cancellationToken);
        if (!onProduct.IsSuccess)
        {
            return onProduct.Error!;
        }

        var wanted = tier.Entitlements.Select(FeatureOf).OfType<GatewayFeature>().Select(f => f.LookupKey).ToHashSet(StringComparer.Ordinal);
        var held = onProduct.Value.Select(p => p.Feature.LookupKey).ToHashSet(StringComparer.Ordinal);
        foreach (var lookupKey in wanted.Where(k => !held.Contains(k)).Order(StringComparer.Ordinal))
        {
            changes.Add(new CatalogChange("attach feature", productId, lookupKey));
            if (!dryRun && await gateway.AttachFeatureAsync(productId, features[lookupKey].Id, $"billing-attach-{productId}-{lookupKey}", cancellationToken) is { IsSuccess: false } failed)
            {
                return failed.Error!;
            }
        }

        foreach (var stale in onProduct.Value.Where(p => !wanted.Contains(p.Feature.LookupKey) && BillingMetadata.MadeHere(p.Feature.Metadata)))
        {
            changes.Add(new CatalogChange("detach feature", productId, stale.Feature.LookupKey));
            if (!dryRun && await gateway.DetachFeatureAsync(productId, stale.Id, cancellationToken) is { IsSuccess: false } failed)
            {
                return failed.Error!;
            }
        }

        return true;
    }
}
