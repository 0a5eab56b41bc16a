using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>The catalog: products, and prices with their lookup keys (which move, leaving old prices and their subscribers behind).</summary>
public sealed partial class StripeStandIn
{
    private StripeReply CreateProduct(StripeParams p, HttpRequest _)
    {
        if (p.Str("name") is not { Length: > 0 } name)
        {
            return StripeReply.Missing("name");
        }

        var id = p.Str("id") ?? StripeIds.New("prod");
        if (_products.ContainsKey(id))
        {
            return StripeReply.Error(400, "invalid_request_error", $"Product already exists.", "resource_already_exists", "id");
        }

        var product = new JsonObject
        {
            ["id"] = id,
            ["object"] = "product",
            ["active"] = p.Bool("active") ?? true,
            ["created"] = StripeIds.Now(),
            ["updated"] = StripeIds.Now(),
            ["name"] = name,
            ["description"] = p.Str("description"),
            ["metadata"] = Metadata(p.Map("metadata")),
            ["livemode"] = false,
            ["default_price"] = null,
            ["type"] = "service",
        };
        _products[id] = product;
        return StripeReply.Ok(product.DeepClone());
    }

    private StripeReply UpdateProduct(StripeParams p, HttpRequest r)
    {
        var id = r.RouteValues["id"]!.ToString()!;
        if (!_products.TryGetValue(id, out var product))
        {
            return StripeReply.NoSuch("product", id);
        }

        if (p.Str("name") is { } name)
        {
            product["name"] = name;
        }

        if (p.Has("description"))
        {
            product["description"] = p.Str("description") is { Length: > 0 } d ? d : null;
        }

        if (p.Bool("active") is { } active)
        {
            product["active"] = active;
        }

        MergeMetadata(product, p.Map("metadata"));
        product["updated"] = StripeIds.Now();
        return StripeReply.Ok(product.DeepClone());
    }

    private StripeReply CreatePrice(StripeParams p, HttpRequest _)
    {
        if (p.Str("currency") is not { Length: 3 } currency)
        {
            return StripeReply.Missing("currency");
        }

        if (p.Str("product") is not { } productId)
        {
            return StripeReply.Missing("product");
        }

        if (!_products.ContainsKey(productId))
        {
            return StripeReply.NoSuch("product", productId, "product");
        }

        if (p.Long("unit_amount") is not { } amount || amount < 0)
        {
            return StripeReply.Missing("unit_amount");
        }

        var interval = p.Str("recurring[interval]");
        if (interval is not null and not ("day" or "week" or "month" or "year"))
        {
            return StripeReply.Error(400, "invalid_request_error", "Invalid recurring[interval]: must be one of day, week, month, or year", "parameter_invalid_string", "recurring[interval]");
        }

        var taxBehavior = p.Str("tax_behavior") ?? "unspecified";
        if (taxBehavior is not ("exclusive" or "inclusive" or "unspecified"))
        {
            return StripeReply.Error(400, "invalid_request_error", "Invalid tax_behavior: must be one of exclusive, inclusive, or unspecified", "parameter_invalid_string", "tax_behavior");
        }

        if (ReadCurrencyOptions(p, currency.ToLowerInvariant(), amount, taxBehavior, out var currencyOptions) is { } badOptions)
        {
            return badOptions;
        }

        var lookupKey = p.Str("lookup_key");
        if (lookupKey is not null && MoveLookupKey(lookupKey, p.Bool("transfer_lookup_key") == true) is { } conflict)
        {
            return conflict;
        }

        var id = StripeIds.New("price");
        var price = new JsonObject
        {
            ["id"] = id,
            ["object"] = "price",
            ["active"] = p.Bool("active") ?? true,
            ["billing_scheme"] = "per_unit",
            ["created"] = StripeIds.Now(),
            ["currency"] = currency.ToLowerInvariant(),
            ["livemode"] = false,
            ["lookup_key"] = lookupKey,
            ["metadata"] = Metadata(p.Map("metadata")),
            ["nickname"] = p.Str("nickname"),
            ["product"] = productId,
            ["recurring"] = interval is null ? null : new JsonObject
            {
                ["interval"] = interval,
                ["interval_count"] = p.Long("recurring[interval_count]") ?? 1,
                ["usage_type"] = "licensed",
                ["meter"] = null,
            },
            ["tax_behavior"] = taxBehavior,
            ["currency_options"] = currencyOptions,
            ["type"] = interval is null ? "one_time" : "recurring",
            ["unit_amount"] = amount,
            ["unit_amount_decimal"] = amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        _prices[id] = price;
        return StripeReply.Ok(PublicPrice(price, p.List("expand").Contains("currency_options")));
    }

    private StripeReply? MoveLookupKey(string lookupKey, bool transfer)
    {
        var holder = _prices.Values.FirstOrDefault(x => x["lookup_key"]?.GetValue<string>() == lookupKey);
        if (holder is null)
        {
            return null;
        }

        if (!transfer)
        {
            return StripeReply.Error(400, "invalid_request_error", $"A price ({holder["id"]}) already uses that lookup key.", "lookup_key_already_exists", "lookup_key");
        }

        holder["lookup_key"] = null;
        RefreshEmbeddedPrice(holder);
        return null;
    }

    /// <summary>A subscription item embeds its price as the price is now, so a moved lookup key reads null there too.</summary>
    private void RefreshEmbeddedPrice(JsonObject price)
    {
        var id = price["id"]!.GetValue<string>();
        foreach (var item in _subscriptions.Values.Select(Item).Where(i => i["price"]!["id"]!.GetValue<string>() == id))
        {
            item["price"] = PublicPrice(price);
        }
    }

    private StripeReply UpdatePrice(StripeParams p, HttpRequest r)
    {
        var id = r.RouteValues["id"]!.ToString()!;
        if (!_prices.TryGetValue(id, out var price))
        {
            return StripeReply.NoSuch("price", id);
        }

        if (p.Str("lookup_key") is { } lookupKey && price["lookup_key"]?.GetValue<string>() != lookupKey)
        {
            if (MoveLookupKey(lookupKey, p.Bool("transfer_lookup_key") == true) is { } conflict)
            {
                return conflict;
            }

            price["lookup_key"] = lookupKey;
        }

        if (p.Bool("active") is { } active)
        {
            price["active"] = active;
        }

        MergeMetadata(price, p.Map("metadata"));
        RefreshEmbeddedPrice(price);
        return StripeReply.Ok(PublicPrice(price, p.List("expand").Contains("currency_options")));
    }

    private StripeReply ListPrices(StripeParams p, HttpRequest _)
    {
        IEnumerable<JsonObject> prices = _prices.Values.OrderByDescending(x => x["created"]!.GetValue<long>());
        var keys = p.List("lookup_keys");
        if (keys.Count > 0)
        {
            prices = prices.Where(x => x["lookup_key"]?.GetValue<string>() is { } k && keys.Contains(k));
        }

        if (p.Bool("active") is { } active)
        {
            prices = prices.Where(x => x["active"]!.GetValue<bool>() == active);
        }

        if (p.Str("product") is { } product)
        {
            prices = prices.Where(x => x["product"]!.GetValue<string>() == product);
        }

        var withOptions = p.List("expand").Contains("data.currency_options");
        return ListOf(prices.Select(x => PublicPrice(x, withOptions)), p, "/v1/prices");
    }
}
