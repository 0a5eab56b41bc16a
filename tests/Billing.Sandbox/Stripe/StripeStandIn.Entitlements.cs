using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// Stripe Entitlements as far as a catalog needs them, held to Stripe's API reference: a feature has a
/// <c>name</c> and a <c>lookup_key</c> (both required, at most 80 characters), the lookup key is unique among
/// active features and never changes, an archived feature cannot be edited or attached; a product carries a
/// feature once (<c>/v1/products/{id}/features</c>), and detaching answers the attachment deleted. The wording of
/// the two refusals Stripe's reference does not quote (a lookup key in use, a feature already attached) is the
/// stand-in's.
/// </summary>
public sealed partial class StripeStandIn
{
    public const int MaxFeatureText = 80;

    private readonly Dictionary<string, JsonObject> _features = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonObject>> _productFeatures = new(StringComparer.Ordinal);

    /// <summary>The lookup keys of the features the product carries.</summary>
    public IReadOnlyList<string> ProductFeatureKeys(string productId)
    {
        lock (_gate)
        {
            return _productFeatures.GetValueOrDefault(productId)?.Select(a => a["entitlement_feature"]!["lookup_key"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList() ?? [];
        }
    }

    private void MapEntitlements(WebApplication app)
    {
        Post(app, "/v1/entitlements/features", CreateFeature);
        Get(app, "/v1/entitlements/features", ListFeatures);
        Get(app, "/v1/entitlements/features/{id}", (p, r) => Find(_features, "feature", r.RouteValues["id"]!.ToString()!));
        Post(app, "/v1/entitlements/features/{id}", UpdateFeature);
        Post(app, "/v1/products/{id}/features", AttachFeature);
        Get(app, "/v1/products/{id}/features", (p, r) => ProductOr(r, product => ListOf(_productFeatures.GetValueOrDefault(product) ?? [], p, $"/v1/products/{product}/features")));
        Delete(app, "/v1/products/{id}/features/{feature}", DetachFeature);
    }

    private StripeReply CreateFeature(StripeParams p, HttpRequest r)
    {
        if (p.Str("name") is not { Length: > 0 } name)
        {
            return StripeReply.Missing("name");
        }

        if (p.Str("lookup_key") is not { Length: > 0 } lookupKey)
        {
            return StripeReply.Missing("lookup_key");
        }

        if (name.Length > MaxFeatureText || lookupKey.Length > MaxFeatureText)
        {
            var param = name.Length > MaxFeatureText ? "name" : "lookup_key";
            return StripeReply.Error(400, "invalid_request_error", $"Invalid string: must be at most {MaxFeatureText} characters", "string_length_too_long", param);
        }

        if (_features.Values.Any(f => f["active"]!.GetValue<bool>() && f["lookup_key"]!.GetValue<string>() == lookupKey))
        {
            return StripeReply.Error(400, "invalid_request_error", $"A feature with the lookup_key '{lookupKey}' already exists.", "resource_already_exists", "lookup_key");
        }

        var metadata = new JsonObject();
        foreach (var (key, value) in p.Map("metadata"))
        {
            metadata[key] = value;
        }

        var feature = new JsonObject
        {
            ["id"] = StripeIds.New("feat"),
            ["object"] = "entitlements.feature",
            ["active"] = true,
            ["livemode"] = false,
            ["lookup_key"] = lookupKey,
            ["metadata"] = metadata,
            ["name"] = name,
        };
        _features[feature["id"]!.GetValue<string>()] = feature;
        return StripeReply.Ok(feature.DeepClone());
    }

    private StripeReply ListFeatures(StripeParams p, HttpRequest r)
    {
        var archived = p.Bool("archived") ?? false;
        var lookupKey = p.Str("lookup_key");
        return ListOf(
            _features.Values.Where(f => f["active"]!.GetValue<bool>() != archived && (lookupKey is null || f["lookup_key"]!.GetValue<string>() == lookupKey)),
            p,
            "/v1/entitlements/features");
    }

    private StripeReply UpdateFeature(StripeParams p, HttpRequest r)
    {
        var id = r.RouteValues["id"]!.ToString()!;
        if (!_features.TryGetValue(id, out var feature))
        {
            return StripeReply.NoSuch("feature", id);
        }

        if (p.Has("lookup_key"))
        {
            return StripeReply.Error(400, "invalid_request_error", "Received unknown parameter: lookup_key", "parameter_unknown", "lookup_key");
        }

        if (!feature["active"]!.GetValue<bool>())
        {
            return StripeReply.Error(400, "invalid_request_error", "An archived feature cannot be updated.");
        }

        if (p.Str("name") is { } name)
        {
            feature["name"] = name;
        }

        foreach (var (key, value) in p.Map("metadata"))
        {
            feature["metadata"]![key] = value;
        }

        if (p.Bool("active") == false)
        {
            feature["active"] = false;
        }

        return StripeReply.Ok(feature.DeepClone());
    }

    private StripeReply AttachFeature(StripeParams p, HttpRequest r) => ProductOr(r, product =>
    {
        if (p.Str("entitlement_feature") is not { } featureId)
        {
            return StripeReply.Missing("entitlement_feature");
        }

        if (!_features.TryGetValue(featureId, out var feature))
        {
            return StripeReply.NoSuch("feature", featureId, "entitlement_feature");
        }

        if (!feature["active"]!.GetValue<bool>())
        {
            return StripeReply.Error(400, "invalid_request_error", "An archived feature cannot be attached to a product.", param: "entitlement_feature");
        }

        var attached = _productFeatures.TryGetValue(product, out var list) ? list : _productFeatures[product] = [];
        if (attached.Any(a => a["entitlement_feature"]!["id"]!.GetValue<string>() == featureId))
        {
            return StripeReply.Error(400, "invalid_request_error", $"The feature {featureId} is already attached to the product {product}.", "resource_already_exists", "entitlement_feature");
        }

        var productFeature = new JsonObject
        {
            ["id"] = StripeIds.New("prodft"),
            ["object"] = "product_feature",
            ["entitlement_feature"] = feature.DeepClone(),
            ["livemode"] = false,
        };
        attached.Add(productFeature);
        return StripeReply.Ok(productFeature.DeepClone());
    });

    private StripeReply DetachFeature(StripeParams p, HttpRequest r) => ProductOr(r, product =>
    {
        var id = r.RouteValues["feature"]!.ToString()!;
        var attached = _productFeatures.GetValueOrDefault(product);
        if (attached?.FirstOrDefault(a => a["id"]!.GetValue<string>() == id) is not { } productFeature)
        {
            return StripeReply.NoSuch("product_feature", id);
        }

        attached.Remove(productFeature);
        return StripeReply.Ok(new JsonObject { ["id"] = id, ["object"] = "product_feature", ["deleted"] = true });
    });

    private StripeReply ProductOr(HttpRequest r, Func<string, StripeReply> then)
    {
        var product = r.RouteValues["id"]!.ToString()!;
        return _products.ContainsKey(product) ? then(product) : StripeReply.NoSuch("product", product);
    }
}
