using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// Stripe's customer portal configurations, held to Stripe's API reference: <c>features</c> is required; a subscription
/// update that is enabled needs its products and allowed updates, each product's prices must be recurring prices of
/// that product; cancellation mode, reasons and the conditions that schedule a change at the period's end are Stripe's
/// words only; a configuration can be deactivated but not deleted; a portal session may name an active configuration
/// (Stripe's default otherwise). Wording Stripe's reference does not quote is the stand-in's.
/// </summary>
public sealed partial class StripeStandIn
{
    private static readonly HashSet<string> CancellationReasons = ["customer_service", "low_quality", "missing_features", "other", "switched_service", "too_complex", "too_expensive", "unused"];
    private static readonly HashSet<string> AllowedUpdates = ["price", "quantity", "promotion_code"];
    private static readonly HashSet<string> PeriodEndConditions = ["decreasing_item_amount", "shortening_interval"];

    private readonly Dictionary<string, JsonObject> _portalConfigurations = new(StringComparer.Ordinal);

    /// <summary>Every portal configuration, as the API returns them.</summary>
    public IReadOnlyList<JsonObject> PortalConfigurations()
    {
        lock (_gate)
        {
            return _portalConfigurations.Values.Select(c => c.DeepClone().AsObject()).ToList();
        }
    }

    private void MapPortalConfigurations(WebApplication app)
    {
        Post(app, "/v1/billing_portal/configurations", (p, r) => SavePortalConfiguration(p, null));
        Get(app, "/v1/billing_portal/configurations", (p, _) => ListOf(
            _portalConfigurations.Values.Where(c => (p.Bool("active") is not { } active || c["active"]!.GetValue<bool>() == active) && (p.Bool("is_default") is not { } isDefault || c["is_default"]!.GetValue<bool>() == isDefault)),
            p,
            "/v1/billing_portal/configurations"));
        Get(app, "/v1/billing_portal/configurations/{id}", (p, r) => Find(_portalConfigurations, "configuration", r.RouteValues["id"]!.ToString()!));
        Post(app, "/v1/billing_portal/configurations/{id}", (p, r) => _portalConfigurations.TryGetValue(r.RouteValues["id"]!.ToString()!, out var held)
            ? SavePortalConfiguration(p, held)
            : StripeReply.NoSuch("configuration", r.RouteValues["id"]!.ToString()!));
    }

    /// <summary>Why a portal session may not use this configuration, or null when it may (or names none).</summary>
    private StripeReply? RefusePortalConfiguration(string? id) =>
        id is null ? null
        : !_portalConfigurations.TryGetValue(id, out var configuration) ? StripeReply.NoSuch("configuration", id, "configuration")
        : configuration["active"]!.GetValue<bool>() ? null
        : StripeReply.Error(400, "invalid_request_error", $"The configuration {id} is not active.", param: "configuration");

    private StripeReply SavePortalConfiguration(StripeParams p, JsonObject? held)
    {
        if (held is null && !p.Has("features"))
        {
            return StripeReply.Missing("features");
        }

        var configuration = held?.DeepClone().AsObject() ?? new JsonObject
        {
            ["id"] = StripeIds.New("bpc"),
            ["object"] = "billing_portal.configuration",
            ["active"] = true,
            ["is_default"] = false,
            ["livemode"] = false,
            ["created"] = StripeIds.Now(),
            ["name"] = null,
            ["metadata"] = new JsonObject(),
            ["business_profile"] = new JsonObject { ["headline"] = null, ["privacy_policy_url"] = null, ["terms_of_service_url"] = null },
            ["default_return_url"] = null,
            ["features"] = new JsonObject(),
        };
        foreach (var field in new[] { "headline", "privacy_policy_url", "terms_of_service_url" })
        {
            if (p.Has($"business_profile[{field}]"))
            {
                configuration["business_profile"]![field] = p.Str($"business_profile[{field}]") is { Length: > 0 } value ? value : null;
            }
        }

        if (p.Has("default_return_url"))
        {
            configuration["default_return_url"] = p.Str("default_return_url") is { Length: > 0 } url ? url : null;
        }

        if (p.Str("name") is { } name)
        {
            configuration["name"] = name;
        }

        foreach (var (key, value) in p.Map("metadata"))
        {
            configuration["metadata"]![key] = value;
        }

        if (p.Bool("active") is { } activeNow)
        {
            configuration["active"] = activeNow;
        }

        if (ReadPortalFeatures(p, configuration["features"]!.AsObject()) is { } refused)
        {
            return refused;
        }

        configuration["updated"] = StripeIds.Now();
        _portalConfigurations[configuration["id"]!.GetValue<string>()] = configuration;
        return StripeReply.Ok(configuration.DeepClone());
    }

    private StripeReply? ReadPortalFeatures(StripeParams p, JsonObject features)
    {
        foreach (var simple in new[] { "invoice_history", "payment_method_update" })
        {
            if (p.Bool($"features[{simple}][enabled]") is { } enabled)
            {
                features[simple] = new JsonObject { ["enabled"] = enabled };
            }
        }

        if (p.Bool("features[customer_update][enabled]") is { } customerUpdate)
        {
            features["customer_update"] = new JsonObject { ["enabled"] = customerUpdate, ["allowed_updates"] = new JsonArray([.. p.List("features[customer_update][allowed_updates]").Select(u => (JsonNode)u)]) };
        }

        if (p.Has("features[subscription_cancel]"))
        {
            var mode = p.Str("features[subscription_cancel][mode]") ?? "at_period_end";
            if (mode is not ("at_period_end" or "immediately"))
            {
                return StripeReply.Error(400, "invalid_request_error", "Invalid features[subscription_cancel][mode]: must be one of at_period_end or immediately", "parameter_invalid_string", "features[subscription_cancel][mode]");
            }

            var reasons = p.List("features[subscription_cancel][cancellation_reason][options]");
            if (reasons.FirstOrDefault(r => !CancellationReasons.Contains(r)) is { } unknownReason)
            {
                return StripeReply.Error(400, "invalid_request_error", $"Invalid features[subscription_cancel][cancellation_reason][options]: {unknownReason} is not one of {string.Join(", ", CancellationReasons.Order())}", "parameter_invalid_string", "features[subscription_cancel][cancellation_reason][options]");
            }

            features["subscription_cancel"] = new JsonObject
            {
                ["enabled"] = p.Bool("features[subscription_cancel][enabled]") ?? false,
                ["mode"] = mode,
                ["proration_behavior"] = p.Str("features[subscription_cancel][proration_behavior]") ?? "none",
                ["cancellation_reason"] = new JsonObject { ["enabled"] = p.Bool("features[subscription_cancel][cancellation_reason][enabled]") ?? false, ["options"] = new JsonArray([.. reasons.Select(r => (JsonNode)r)]) },
            };
        }

        return p.Has("features[subscription_update]") ? ReadSubscriptionUpdate(p, features) : null;
    }

    private StripeReply? ReadSubscriptionUpdate(StripeParams p, JsonObject features)
    {
        const string At = "features[subscription_update]";
        var enabled = p.Bool($"{At}[enabled]") ?? false;
        var allowed = p.List($"{At}[default_allowed_updates]");
        if (allowed.FirstOrDefault(a => !AllowedUpdates.Contains(a)) is { } unknownUpdate)
        {
            return StripeReply.Error(400, "invalid_request_error", $"Invalid {At}[default_allowed_updates]: {unknownUpdate} is not one of price, quantity, promotion_code", "parameter_invalid_string", $"{At}[default_allowed_updates]");
        }

        var products = new JsonArray();
        for (var i = 0; p.Has($"{At}[products][{i}]"); i++)
        {
            if (p.Str($"{At}[products][{i}][product]") is not { } productId || !_products.ContainsKey(productId))
            {
                return StripeReply.NoSuch("product", p.Str($"{At}[products][{i}][product]") ?? string.Empty, $"{At}[products][{i}][product]");
            }

            var priceIds = p.List($"{At}[products][{i}][prices]");
            foreach (var priceId in priceIds)
            {
                if (!_prices.TryGetValue(priceId, out var price) || price["recurring"] is null)
                {
                    return StripeReply.NoSuch("price", priceId, $"{At}[products][{i}][prices]");
                }

                if (price["product"]!.GetValue<string>() != productId)
                {
                    return StripeReply.Error(400, "invalid_request_error", $"The price {priceId} does not belong to the product {productId}.", param: $"{At}[products][{i}][prices]");
                }
            }

            products.Add(new JsonObject { ["product"] = productId, ["prices"] = new JsonArray([.. priceIds.Select(id => (JsonNode)id)]) });
        }

        if (enabled && (products.Count == 0 || allowed.Count == 0))
        {
            return StripeReply.Missing(products.Count == 0 ? $"{At}[products]" : $"{At}[default_allowed_updates]");
        }

        var conditions = new JsonArray();
        for (var i = 0; p.Str($"{At}[schedule_at_period_end][conditions][{i}][type]") is { } type; i++)
        {
            if (!PeriodEndConditions.Contains(type))
            {
                return StripeReply.Error(400, "invalid_request_error", $"Invalid {At}[schedule_at_period_end][conditions][{i}][type]: must be one of decreasing_item_amount or shortening_interval", "parameter_invalid_string", $"{At}[schedule_at_period_end][conditions][{i}][type]");
            }

            conditions.Add(new JsonObject { ["type"] = type });
        }

        features["subscription_update"] = new JsonObject
        {
            ["enabled"] = enabled,
            ["default_allowed_updates"] = new JsonArray([.. allowed.Select(a => (JsonNode)a)]),
            ["proration_behavior"] = p.Str($"{At}[proration_behavior]") ?? "none",
            ["products"] = products,
            ["schedule_at_period_end"] = new JsonObject { ["conditions"] = conditions },
        };
        return null;
    }
}
