using System.Globalization;
using System.Text.Json.Nodes;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// Prices in several currencies (<c>currency_options</c>) and Stripe Tax. As in Stripe: a price's options include
/// its default currency and are shown only when expanded; a subscription bills in one currency, and every price
/// it moves to must be sold in it; a customer's subscriptions share one currency; automatic tax needs the
/// customer's address and is charged at the rate of its country.
/// </summary>
public sealed partial class StripeStandIn
{
    /// <summary>Stripe Tax's rate per customer country in this stand-in; a country not listed is not taxed (no registration).</summary>
    public static readonly IReadOnlyDictionary<string, decimal> TaxRates = new Dictionary<string, decimal>(StringComparer.Ordinal)
    {
        ["DE"] = 0.19m,
        ["FR"] = 0.20m,
        ["NL"] = 0.21m,
        ["GB"] = 0.20m,
        ["US"] = 0m,
    };

    private static StripeReply? ReadCurrencyOptions(StripeParams p, string currency, long amount, string taxBehavior, out JsonObject options)
    {
        options = new JsonObject { [currency] = CurrencyOption(amount, taxBehavior) };
        var codes = p.Keys()
            .Where(k => k.StartsWith("currency_options[", StringComparison.Ordinal))
            .Select(k => k["currency_options[".Length..k.IndexOf(']', StringComparison.Ordinal)])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var code in codes)
        {
            var field = $"currency_options[{code}]";
            if (code.Length != 3 || !code.All(char.IsAsciiLetterLower))
            {
                return StripeReply.Error(400, "invalid_request_error", $"Invalid currency: {code}. Stripe currently supports these currencies: usd, eur, gbp, …", "parameter_invalid_string", field);
            }

            if (code == currency)
            {
                return StripeReply.Error(400, "invalid_request_error", $"You cannot specify currency_options for the price's currency ({currency}); use unit_amount instead.", "parameter_invalid_string", field);
            }

            if (p.Long($"{field}[unit_amount]") is not { } optionAmount || optionAmount < 0)
            {
                return StripeReply.Missing($"{field}[unit_amount]");
            }

            var behavior = p.Str($"{field}[tax_behavior]") ?? taxBehavior;
            if (behavior is not ("exclusive" or "inclusive" or "unspecified"))
            {
                return StripeReply.Error(400, "invalid_request_error", "Invalid tax_behavior: must be one of exclusive, inclusive, or unspecified", "parameter_invalid_string", $"{field}[tax_behavior]");
            }

            options[code] = CurrencyOption(optionAmount, behavior);
        }

        return null;
    }

    private static JsonObject CurrencyOption(long amount, string taxBehavior) => new()
    {
        ["custom_unit_amount"] = null,
        ["tax_behavior"] = taxBehavior,
        ["unit_amount"] = amount,
        ["unit_amount_decimal"] = amount.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A price as the API shows it: its <c>currency_options</c> only when the caller expanded them.</summary>
    private static JsonObject PublicPrice(JsonObject price, bool withCurrencyOptions = false)
    {
        var copy = price.DeepClone().AsObject();
        if (!withCurrencyOptions)
        {
            copy.Remove("currency_options");
        }

        return copy;
    }

    /// <summary>What one unit of a price costs in a currency, read from the price as stored (an embedded copy lacks its options).</summary>
    private long? UnitAmountIn(JsonObject price, string currency)
    {
        var stored = _prices.GetValueOrDefault(price["id"]!.GetValue<string>()) ?? price;
        return stored["currency_options"]?[currency]?["unit_amount"]?.GetValue<long>()
            ?? (stored["currency"]!.GetValue<string>() == currency ? stored["unit_amount"]!.GetValue<long>() : null);
    }

    private string? TaxBehaviorIn(JsonObject price, string currency)
    {
        var stored = _prices.GetValueOrDefault(price["id"]!.GetValue<string>()) ?? price;
        return stored["currency_options"]?[currency]?["tax_behavior"]?.GetValue<string>() ?? stored["tax_behavior"]?.GetValue<string>();
    }

    /// <summary>The amount a subscription's item bills per period, in the subscription's currency.</summary>
    private long ItemAmount(JsonObject subscription, JsonObject price) =>
        UnitAmountIn(price, subscription["currency"]!.GetValue<string>())
            ?? throw new InvalidOperationException($"Price {price["id"]} has no amount in {subscription["currency"]}.");

    private static StripeReply CurrencyNotSupported(JsonObject price, string currency, string field) =>
        StripeReply.Error(
            400,
            "invalid_request_error",
            $"The price specified supports currencies of `{string.Join(", ", (price["currency_options"]?.AsObject().Select(o => o.Key) ?? [price["currency"]!.GetValue<string>()]))}` which doesn't include the expected currency of `{currency}`.",
            "parameter_invalid_string",
            field);

    /// <summary>Stripe bills a customer's live subscriptions in one currency.</summary>
    private StripeReply? MixesCurrencies(string? customerId, string currency)
    {
        if (customerId is null)
        {
            return null;
        }

        var other = _subscriptions.Values.FirstOrDefault(s =>
            s["customer"]!.GetValue<string>() == customerId &&
            s["status"]!.GetValue<string>() is not ("canceled" or "incomplete_expired") &&
            s["currency"]!.GetValue<string>() != currency);
        return other is null
            ? null
            : StripeReply.Error(400, "invalid_request_error", $"You cannot combine currencies on a single customer. This customer has an active subscription, subscription schedule, discount, quote, or invoice item with currency {other["currency"]}.", "currency_mismatch", "currency");
    }

    /// <summary>
    /// The tax on an invoice's amount after discounts when automatic tax is on for it: at the rate of the customer's
    /// country, added for an exclusive price and carved out of an inclusive one. Zero without a taxable address.
    /// </summary>
    private (long Tax, JsonArray TotalTaxes, bool Included) TaxOn(string customerId, long amount, bool automatic, string? behavior)
    {
        var country = _customers.GetValueOrDefault(customerId)?["address"]?["country"]?.GetValue<string>();
        if (!automatic || amount <= 0 || country is null || !TaxRates.TryGetValue(country, out var rate) || rate == 0m)
        {
            return (0, new JsonArray(), false);
        }

        var inclusive = behavior == "inclusive";
        var tax = inclusive
            ? amount - (long)Math.Round(amount / (1 + rate), MidpointRounding.AwayFromZero)
            : (long)Math.Round(amount * rate, MidpointRounding.AwayFromZero);
        var entry = new JsonObject
        {
            ["amount"] = tax,
            ["tax_behavior"] = inclusive ? "inclusive" : "exclusive",
            ["taxability_reason"] = "standard_rated",
            ["taxable_amount"] = inclusive ? amount - tax : amount,
            ["type"] = "tax_rate_details",
            ["tax_rate_details"] = new JsonObject { ["tax_rate"] = $"txr_{country.ToLowerInvariant()}_{(int)(rate * 100)}" },
        };
        return (tax, new JsonArray(entry), inclusive);
    }
}
