using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// Coupons, promotion codes and the discounts they put on subscriptions, as Stripe has them: a coupon's terms never
/// change (only its name and metadata), a code is unique among active codes and matched case-insensitively, a code
/// that is inactive, expired, used up or not for the product cannot be redeemed, <c>applies_to</c> is shown only
/// when expanded, and a discount takes its share off each invoice while it lasts (<c>once</c>: the next one only).
/// </summary>
public sealed partial class StripeStandIn
{
    private readonly Dictionary<string, JsonObject> _coupons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _promotionCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _discounts = new(StringComparer.Ordinal);

    public JsonObject? Coupon(string id)
    {
        lock (_gate)
        {
            return _coupons.GetValueOrDefault(id)?.DeepClone().AsObject();
        }
    }

    public JsonObject? PromotionCodeNamed(string code)
    {
        lock (_gate)
        {
            return _promotionCodes.Values.FirstOrDefault(p => string.Equals(p["code"]!.GetValue<string>(), code, StringComparison.OrdinalIgnoreCase))?.DeepClone().AsObject();
        }
    }

    private void MapDiscounts(Microsoft.AspNetCore.Builder.WebApplication app)
    {
        Post(app, "/v1/coupons", CreateCoupon);
        Get(app, "/v1/coupons/{id}", (p, r) => FindCoupon(r.RouteValues["id"]!.ToString()!, p));
        Post(app, "/v1/coupons/{id}", UpdateCoupon);
        Post(app, "/v1/promotion_codes", CreatePromotionCode);
        Get(app, "/v1/promotion_codes", ListPromotionCodes);
        Post(app, "/v1/promotion_codes/{id}", UpdatePromotionCode);
    }

    private StripeReply CreateCoupon(StripeParams p, HttpRequest _)
    {
        var id = p.Str("id") ?? StripeIds.New("cpn")[4..];
        if (_coupons.ContainsKey(id))
        {
            return StripeReply.Error(400, "invalid_request_error", "Coupon already exists.", "resource_already_exists", "id");
        }

        decimal? percent = p.Str("percent_off") is { } raw && decimal.TryParse(raw, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        var amount = p.Long("amount_off");
        if ((percent is null) == (amount is null))
        {
            return StripeReply.Error(400, "invalid_request_error", "You must pass either `percent_off` or `amount_off` (but not both).", "parameter_missing", "percent_off");
        }

        if (percent is <= 0 or > 100)
        {
            return StripeReply.Error(400, "invalid_request_error", "percent_off must be greater than 0 and at most 100.", "parameter_invalid_integer", "percent_off");
        }

        if (amount is not null && p.Str("currency") is null)
        {
            return StripeReply.Missing("currency");
        }

        var duration = p.Str("duration") ?? "once";
        var months = p.Long("duration_in_months");
        if (duration is not ("once" or "repeating" or "forever") || (duration == "repeating") != (months is not null))
        {
            return StripeReply.Error(400, "invalid_request_error", "duration must be once, forever, or repeating with duration_in_months.", "parameter_invalid_string", "duration");
        }

        var products = p.List("applies_to[products]");
        foreach (var product in products.Where(pr => !_products.ContainsKey(pr)))
        {
            return StripeReply.NoSuch("product", product, "applies_to[products]");
        }

        var coupon = new JsonObject
        {
            ["id"] = id,
            ["object"] = "coupon",
            ["amount_off"] = amount,
            ["currency"] = amount is null ? null : p.Str("currency"),
            ["created"] = StripeIds.Now(),
            ["duration"] = duration,
            ["duration_in_months"] = months,
            ["livemode"] = false,
            ["max_redemptions"] = p.Long("max_redemptions"),
            ["metadata"] = Metadata(p.Map("metadata")),
            ["name"] = p.Str("name"),
            ["percent_off"] = percent,
            ["redeem_by"] = p.Long("redeem_by"),
            ["times_redeemed"] = 0L,
            ["valid"] = true,
            ["applies_to"] = new JsonObject { ["products"] = new JsonArray(products.Select(x => (JsonNode)x).ToArray()) },
        };
        _coupons[id] = coupon;
        return StripeReply.Ok(PublicCoupon(coupon, p.List("expand").Contains("applies_to")));
    }

    private StripeReply FindCoupon(string id, StripeParams p) =>
        _coupons.TryGetValue(id, out var coupon) ? StripeReply.Ok(PublicCoupon(coupon, p.List("expand").Contains("applies_to"))) : StripeReply.NoSuch("coupon", id, "id");

    private StripeReply UpdateCoupon(StripeParams p, HttpRequest r)
    {
        var id = r.RouteValues["id"]!.ToString()!;
        if (!_coupons.TryGetValue(id, out var coupon))
        {
            return StripeReply.NoSuch("coupon", id, "id");
        }

        if (Unchangeable(p, "name", "metadata", "expand", "currency_options") is { } refused)
        {
            return refused;
        }

        if (p.Str("name") is { } name)
        {
            coupon["name"] = name;
        }

        MergeMetadata(coupon, p.Map("metadata"));
        return StripeReply.Ok(PublicCoupon(coupon, p.List("expand").Contains("applies_to")));
    }

    /// <summary>Stripe refuses any parameter an update does not take, naming it.</summary>
    private static StripeReply? Unchangeable(StripeParams p, params string[] allowed)
    {
        var unknown = p.Keys().FirstOrDefault(k => !allowed.Any(a => k == a || k.StartsWith(a + "[", StringComparison.Ordinal)));
        return unknown is null ? null : StripeReply.Error(400, "invalid_request_error", $"Received unknown parameter: {unknown}", "parameter_unknown", unknown);
    }

    private static JsonObject PublicCoupon(JsonObject coupon, bool withAppliesTo)
    {
        var copy = coupon.DeepClone().AsObject();
        if (!withAppliesTo)
        {
            copy.Remove("applies_to");
        }

        return copy;
    }

    private StripeReply CreatePromotionCode(StripeParams p, HttpRequest _)
    {
        if (p.Str("promotion[type]") != "coupon" || p.Str("promotion[coupon]") is not { } couponId)
        {
            return StripeReply.Error(400, "invalid_request_error", "promotion[type]=coupon and promotion[coupon] are required.", "parameter_missing", "promotion");
        }

        if (!_coupons.TryGetValue(couponId, out var coupon) || !coupon["valid"]!.GetValue<bool>())
        {
            return StripeReply.NoSuch("coupon", couponId, "promotion[coupon]");
        }

        var code = p.Str("code") ?? StripeIds.New("x")[2..10].ToUpperInvariant();
        var active = p.Bool("active") ?? true;
        if (active && _promotionCodes.Values.Any(x => x["active"]!.GetValue<bool>() && string.Equals(x["code"]!.GetValue<string>(), code, StringComparison.OrdinalIgnoreCase)))
        {
            return StripeReply.Error(400, "invalid_request_error", $"An active promotion code with `code: {code}` already exists.", "resource_already_exists", "code");
        }

        if (p.Long("expires_at") is { } expires && expires <= StripeIds.Now())
        {
            return StripeReply.Error(400, "invalid_request_error", "expires_at must be in the future.", "parameter_invalid_integer", "expires_at");
        }

        var id = StripeIds.New("promo");
        var promotion = new JsonObject
        {
            ["id"] = id,
            ["object"] = "promotion_code",
            ["active"] = active,
            ["code"] = code,
            ["created"] = StripeIds.Now(),
            ["customer"] = null,
            ["customer_account"] = null,
            ["expires_at"] = p.Long("expires_at"),
            ["livemode"] = false,
            ["max_redemptions"] = p.Long("max_redemptions"),
            ["metadata"] = Metadata(p.Map("metadata")),
            ["promotion"] = new JsonObject { ["coupon"] = couponId, ["type"] = "coupon" },
            ["restrictions"] = new JsonObject { ["first_time_transaction"] = false, ["minimum_amount"] = null, ["minimum_amount_currency"] = null },
            ["times_redeemed"] = 0L,
        };
        _promotionCodes[id] = promotion;
        return ExpandPromotion(promotion, p.List("expand"), string.Empty);
    }

    private StripeReply ListPromotionCodes(StripeParams p, HttpRequest _)
    {
        IEnumerable<JsonObject> codes = _promotionCodes.Values.OrderByDescending(x => x["created"]!.GetValue<long>());
        if (p.Str("code") is { } code)
        {
            codes = codes.Where(x => string.Equals(x["code"]!.GetValue<string>(), code, StringComparison.OrdinalIgnoreCase));
        }

        if (p.Bool("active") is { } active)
        {
            codes = codes.Where(x => x["active"]!.GetValue<bool>() == active);
        }

        var expanded = new List<JsonObject>();
        foreach (var promotion in codes)
        {
            var one = ExpandPromotion(promotion, p.List("expand"), "data.");
            if (one.Status != 200)
            {
                return one;
            }

            expanded.Add(one.Body.AsObject());
        }

        return ListOf(expanded, p, "/v1/promotion_codes");
    }

    private StripeReply UpdatePromotionCode(StripeParams p, HttpRequest r)
    {
        var id = r.RouteValues["id"]!.ToString()!;
        if (!_promotionCodes.TryGetValue(id, out var promotion))
        {
            return StripeReply.NoSuch("promotion_code", id, "promotion_code");
        }

        if (Unchangeable(p, "active", "metadata", "expand", "restrictions") is { } refused)
        {
            return refused;
        }

        if (p.Bool("active") is { } active)
        {
            promotion["active"] = active;
        }

        MergeMetadata(promotion, p.Map("metadata"));
        return ExpandPromotion(promotion, p.List("expand"), string.Empty);
    }

    /// <summary>A promotion code with <c>promotion.coupon</c> (and its <c>applies_to</c>) expanded when asked under <paramref name="prefix"/>.</summary>
    private StripeReply ExpandPromotion(JsonObject promotion, List<string> expand, string prefix)
    {
        var copy = promotion.DeepClone().AsObject();
        foreach (var path in expand)
        {
            if (path != $"{prefix}promotion.coupon" && path != $"{prefix}promotion.coupon.applies_to")
            {
                return StripeReply.Error(400, "invalid_request_error", $"This property cannot be expanded ({path}).", "parameter_invalid_string", "expand");
            }

            copy["promotion"]!["coupon"] = PublicCoupon(_coupons[promotion["promotion"]!["coupon"]!.GetValue<string>()], path.EndsWith("applies_to", StringComparison.Ordinal));
        }

        return StripeReply.Ok(copy);
    }

    /// <summary>Why a promotion code cannot be redeemed on this price's product, or null when it can.</summary>
    private StripeReply? Unredeemable(string promotionId, JsonObject price, string param)
    {
        if (!_promotionCodes.TryGetValue(promotionId, out var promotion))
        {
            return StripeReply.NoSuch("promotion_code", promotionId, param);
        }

        var coupon = _coupons[promotion["promotion"]!["coupon"]!.GetValue<string>()];
        var usedUp = promotion["max_redemptions"]?.GetValue<long>() is { } max && promotion["times_redeemed"]!.GetValue<long>() >= max;
        var expired = promotion["expires_at"]?.GetValue<long>() is { } at && at <= StripeIds.Now();
        if (!promotion["active"]!.GetValue<bool>() || usedUp || expired || !coupon["valid"]!.GetValue<bool>())
        {
            return StripeReply.Error(400, "invalid_request_error", "This promotion code cannot be redeemed because it is inactive, expired or used up.", "promotion_code_invalid", param);
        }

        var products = coupon["applies_to"]!["products"]!.AsArray().Select(x => x!.GetValue<string>()).ToList();
        return products.Count > 0 && !products.Contains(price["product"]!.GetValue<string>())
            ? StripeReply.Error(400, "invalid_request_error", "This coupon cannot be applied to the products in this subscription.", "coupon_not_applicable", param)
            : null;
    }

    /// <summary>Puts a redeemed promotion code's discount on a subscription, replacing any other, and counts the redemption.</summary>
    private void AttachDiscount(JsonObject subscription, string promotionId)
    {
        var promotion = _promotionCodes[promotionId];
        var couponId = promotion["promotion"]!["coupon"]!.GetValue<string>();
        var coupon = _coupons[couponId];
        var now = StripeIds.Now();
        var id = StripeIds.New("di");
        _discounts[id] = new JsonObject
        {
            ["id"] = id,
            ["object"] = "discount",
            ["checkout_session"] = null,
            ["customer"] = subscription["customer"]!.GetValue<string>(),
            ["customer_account"] = null,
            ["end"] = coupon["duration_in_months"]?.GetValue<long>() is { } months ? DateTimeOffset.FromUnixTimeSeconds(now).AddMonths((int)months).ToUnixTimeSeconds() : null,
            ["invoice"] = null,
            ["invoice_item"] = null,
            ["promotion_code"] = promotionId,
            ["source"] = new JsonObject { ["coupon"] = couponId, ["type"] = "coupon" },
            ["start"] = now,
            ["subscription"] = subscription["id"]!.GetValue<string>(),
            ["subscription_item"] = null,
        };
        subscription["discounts"] = new JsonArray(id);
        promotion["times_redeemed"] = promotion["times_redeemed"]!.GetValue<long>() + 1;
        coupon["times_redeemed"] = coupon["times_redeemed"]!.GetValue<long>() + 1;
    }

    /// <summary>
    /// The discount an invoice of this subscription gets, if any: its amount off <paramref name="total"/>. A
    /// <c>once</c> discount is used up by the first real invoice; a repeating one ends at its <c>end</c>.
    /// </summary>
    private long DiscountOn(JsonObject subscription, long total, bool consume, out string? discountId)
    {
        discountId = subscription["discounts"]?.AsArray().FirstOrDefault()?.GetValue<string>();
        if (discountId is null || !_discounts.TryGetValue(discountId, out var discount) || total <= 0 ||
            (discount["end"]?.GetValue<long>() is { } end && end <= StripeIds.Now()))
        {
            discountId = null;
            return 0;
        }

        var coupon = _coupons[discount["source"]!["coupon"]!.GetValue<string>()];
        var off = coupon["percent_off"]?.GetValue<decimal>() is { } percent
            ? (long)Math.Round(total * percent / 100m, MidpointRounding.AwayFromZero)
            : Math.Min(total, coupon["amount_off"]!.GetValue<long>());
        if (consume && coupon["duration"]!.GetValue<string>() == "once")
        {
            subscription["discounts"] = new JsonArray();
        }

        return off;
    }

    /// <summary>A subscription with <c>discounts</c> (and their coupon and promotion code) expanded as asked.</summary>
    private JsonObject ExpandDiscounts(JsonObject copy, bool coupon, bool promotionCode)
    {
        var expanded = new JsonArray();
        foreach (var id in copy["discounts"]?.AsArray().Select(d => d!.GetValue<string>()) ?? [])
        {
            var discount = _discounts[id].DeepClone().AsObject();
            if (coupon)
            {
                discount["source"]!["coupon"] = PublicCoupon(_coupons[discount["source"]!["coupon"]!.GetValue<string>()], false);
            }

            if (promotionCode && discount["promotion_code"]?.GetValue<string>() is { } promotionId)
            {
                discount["promotion_code"] = _promotionCodes[promotionId].DeepClone();
            }

            expanded.Add(discount);
        }

        copy["discounts"] = expanded;
        return copy;
    }
}
