using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>Checkout Sessions: created with an expiry, expired on request or when due, and shown without their internal fields.</summary>
public sealed partial class StripeStandIn
{
    private StripeReply CreateCheckoutSession(StripeParams p, HttpRequest _)
    {
        var mode = p.Str("mode");
        if (mode is null)
        {
            return StripeReply.Missing("mode");
        }

        if (mode is not ("subscription" or "setup"))
        {
            return StripeReply.Error(400, "invalid_request_error", "This stand-in supports mode=subscription and mode=setup only.", "parameter_invalid_string", "mode");
        }

        if (p.Str("success_url") is not { } successUrl)
        {
            return StripeReply.Missing("success_url");
        }

        JsonObject? price = null;
        if (mode == "setup")
        {
            // Stripe needs the currency of a setup session unless payment_method_types names the methods.
            if (p.Str("currency") is null && p.List("payment_method_types").Count == 0)
            {
                return StripeReply.Error(400, "invalid_request_error", "currency is required in setup mode when payment_method_types is not set.", "parameter_missing", "currency");
            }

            if (p.Has("line_items"))
            {
                return StripeReply.Error(400, "invalid_request_error", "You cannot pass `line_items` in `setup` mode.", "parameter_unknown", "line_items");
            }
        }
        else
        {
            if (p.Str("line_items[0][price]") is not { } priceId)
            {
                return StripeReply.Missing("line_items");
            }

            if (!_prices.TryGetValue(priceId, out price))
            {
                return StripeReply.NoSuch("price", priceId, "line_items[0][price]");
            }

            if (price["recurring"] is null)
            {
                return StripeReply.Error(400, "invalid_request_error", "You must provide at least one recurring price in `subscription` mode when using prices.", "parameter_invalid_string", "line_items[0][price]");
            }
        }

        var trialDays = p.Long("subscription_data[trial_period_days]");
        if (trialDays is < 1 or > 730)
        {
            return StripeReply.Error(400, "invalid_request_error", "trial_period_days must be between 1 and 730.", "parameter_invalid_integer", "subscription_data[trial_period_days]");
        }

        var collection = p.Str("payment_method_collection") ?? "always";
        if (collection is not ("always" or "if_required"))
        {
            return StripeReply.Error(400, "invalid_request_error", "Invalid payment_method_collection: must be one of always or if_required", "parameter_invalid_string", "payment_method_collection");
        }

        var missingCard = p.Str("subscription_data[trial_settings][end_behavior][missing_payment_method]") ?? "create_invoice";
        if (missingCard is not ("cancel" or "pause" or "create_invoice"))
        {
            return StripeReply.Error(400, "invalid_request_error", "Invalid missing_payment_method: must be one of cancel, create_invoice, or pause", "parameter_invalid_string", "subscription_data[trial_settings][end_behavior][missing_payment_method]");
        }

        var promotionCode = p.Str("discounts[0][promotion_code]");
        if (promotionCode is not null && p.Bool("allow_promotion_codes") == true)
        {
            return StripeReply.Error(400, "invalid_request_error", "You may only specify one of these parameters: allow_promotion_codes, discounts.", "parameter_invalid_string", "discounts");
        }

        if (promotionCode is not null && price is null)
        {
            return StripeReply.Error(400, "invalid_request_error", "discounts are not supported in setup mode.", "parameter_unknown", "discounts");
        }

        if (promotionCode is not null && Unredeemable(promotionCode, price!, "discounts[0][promotion_code]") is { } refusedCode)
        {
            return refusedCode;
        }

        var customer = p.Str("customer");
        if (customer is not null && (!_customers.TryGetValue(customer, out var known) || known["deleted"]?.GetValue<bool>() == true))
        {
            return StripeReply.NoSuch("customer", customer, "customer");
        }

        // The currency: asked for, else the customer's own, else the price's default (all as the price supports them).
        var asked = p.Str("currency")?.ToLowerInvariant();
        var currency = asked ?? price?["currency"]!.GetValue<string>();
        if (price is not null)
        {
            if (asked is not null && UnitAmountIn(price, asked) is null)
            {
                return CurrencyNotSupported(price, asked, "currency");
            }

            if (asked is null && customer is not null && _customers[customer]["currency"]?.GetValue<string>() is { } held && UnitAmountIn(price, held) is not null)
            {
                currency = held;
            }

            if (MixesCurrencies(customer, currency!) is { } mixed)
            {
                return mixed;
            }
        }

        // payment_method_types is a fixed list Stripe checks against the currency; allowed_payment_method_types
        // (API 2026-10-28) filters the methods Stripe finds eligible, so one the currency rules out is left out.
        var methods = p.List("payment_method_types");
        var allowed = p.List("allowed_payment_method_types");
        if (methods.Count > 0 && allowed.Count > 0)
        {
            return StripeReply.Error(400, "invalid_request_error", "You may only specify one of these parameters: allowed_payment_method_types, payment_method_types.", "parameter_invalid_string", "allowed_payment_method_types");
        }

        if (price is not null && UnavailableMethod(methods.Count > 0 ? methods : allowed.Where(m => !MethodCurrencies.ContainsKey(m) || Takes(m, currency!)).ToList(), currency!) is { } unavailable)
        {
            return unavailable;
        }

        if (allowed.Count > 0)
        {
            methods = allowed.Where(m => price is null ? m == "card" : Takes(m, currency!)).ToList();
            if (methods.Count == 0)
            {
                return StripeReply.Error(400, "invalid_request_error", $"None of the allowed_payment_method_types can accept a payment in {currency}.", "parameter_invalid_string", "allowed_payment_method_types");
            }
        }

        var automaticTax = p.Bool("automatic_tax[enabled]") ?? false;
        var taxIds = p.Bool("tax_id_collection[enabled]") ?? false;
        var addressUpdate = p.Str("customer_update[address]") ?? "never";
        var nameUpdate = p.Str("customer_update[name]") ?? "never";
        if (p.Has("customer_update") && customer is null)
        {
            return StripeReply.Error(400, "invalid_request_error", "customer_update can only be used with customer.", "parameter_invalid_string", "customer_update");
        }

        if (automaticTax && customer is not null && _customers[customer]["address"]?["country"] is null && addressUpdate != "auto")
        {
            return StripeReply.Error(400, "invalid_request_error", "Automatic tax calculation in Checkout requires a valid address on the Customer. Add a valid address to the Customer or set `customer_update[address]` to 'auto' to save the address entered in Checkout to the Customer.", "parameter_invalid_string", "customer_update[address]");
        }

        if (taxIds && customer is not null && nameUpdate != "auto")
        {
            return StripeReply.Error(400, "invalid_request_error", "Tax ID collection requires updating business name on the customer. To enable tax ID collection for an existing customer, please set `customer_update[name]` to `auto`.", "parameter_invalid_string", "customer_update[name]");
        }

        var addressCollection = p.Str("billing_address_collection") ?? "auto";
        if (addressCollection is not ("auto" or "required"))
        {
            return StripeReply.Error(400, "invalid_request_error", "Invalid billing_address_collection: must be one of auto or required", "parameter_invalid_string", "billing_address_collection");
        }

        var now = StripeIds.Now();
        var expiresAt = p.Long("expires_at") ?? now + 86400;
        if (expiresAt < now + 1800 || expiresAt > now + 86400)
        {
            return StripeReply.Error(400, "invalid_request_error", "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.", "parameter_invalid_integer", "expires_at");
        }

        var id = "cs_test_" + StripeIds.New("x")[2..];
        var quantity = p.Long("line_items[0][quantity]") ?? 1;
        var session = new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["mode"] = mode,
            ["status"] = "open",
            ["payment_status"] = "unpaid",
            ["customer"] = customer,
            ["customer_email"] = p.Str("customer_email"),
            ["client_reference_id"] = p.Str("client_reference_id"),
            ["metadata"] = Metadata(p.Map("metadata")),
            ["success_url"] = successUrl,
            ["cancel_url"] = p.Str("cancel_url"),
            ["url"] = new Uri(BaseUrl, $"checkout/{id}").AbsoluteUri,
            ["subscription"] = null,
            ["invoice"] = null,
            ["setup_intent"] = null,
            ["amount_subtotal"] = price is null ? null : UnitAmountIn(price, currency!) * quantity,
            ["amount_total"] = price is null ? null : UnitAmountIn(price, currency!) * quantity,
            ["currency"] = currency ?? p.Str("currency"),
            ["automatic_tax"] = new JsonObject { ["enabled"] = automaticTax, ["status"] = automaticTax ? "requires_location_inputs" : null, ["provider"] = null, ["liability"] = automaticTax ? new JsonObject { ["type"] = "self" } : null },
            ["billing_address_collection"] = addressCollection,
            ["tax_id_collection"] = new JsonObject { ["enabled"] = taxIds, ["required"] = "never" },
            ["customer_update_address"] = addressUpdate,
            ["customer_update_name"] = nameUpdate,
            ["created"] = StripeIds.Now(),
            ["expires_at"] = expiresAt,
            ["livemode"] = false,
            ["line_items_price"] = price?["id"]!.GetValue<string>(),
            ["line_items_quantity"] = quantity,
            ["subscription_data_metadata"] = Metadata(p.Map("subscription_data[metadata]")),
            ["trial_days"] = trialDays,
            ["payment_method_collection"] = collection,
            ["trial_missing_payment_method"] = missingCard,
            ["allow_promotion_codes"] = p.Bool("allow_promotion_codes") ?? false,
            ["discount_promotion_code"] = promotionCode,
            ["payment_method_types"] = new JsonArray((methods.Count == 0 ? ["card"] : methods).Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
            ["allowed_payment_method_types"] = allowed.Count == 0 ? null : new JsonArray(allowed.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
        };
        _sessions[id] = session;
        return StripeReply.Ok(PublicSession(session));
    }

    private StripeReply FindSession(string id)
    {
        if (!_sessions.TryGetValue(id, out var session))
        {
            return StripeReply.NoSuch("checkout.session", id, "session");
        }

        ExpireIfDue(session);
        return StripeReply.Ok(PublicSession(session));
    }

    /// <summary>Ends an open session (Stripe allows it only while open); its payment page stops accepting cards.</summary>
    private StripeReply ExpireSession(string id)
    {
        if (!_sessions.TryGetValue(id, out var session))
        {
            return StripeReply.NoSuch("checkout.session", id, "session");
        }

        ExpireIfDue(session);
        if (session["status"]!.GetValue<string>() != "open")
        {
            return StripeReply.Error(400, "invalid_request_error", $"Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout Session has a status of \"{session["status"]}\".", "checkout_session_not_open");
        }

        Expire(session);
        return StripeReply.Ok(PublicSession(session));
    }

    /// <summary>Stripe expires a session at its <c>expires_at</c>; the stand-in does so when the session is next looked at.</summary>
    private void ExpireIfDue(JsonObject session)
    {
        if (session["status"]!.GetValue<string>() == "open" && session["expires_at"]!.GetValue<long>() <= StripeIds.Now())
        {
            Expire(session);
        }
    }

    private void Expire(JsonObject session)
    {
        session["status"] = "expired";
        session["url"] = null;
        Emit("checkout.session.expired", PublicSession(session));
    }

    private static JsonObject PublicSession(JsonObject session)
    {
        var copy = session.DeepClone().AsObject();
        copy.Remove("line_items_price");
        copy.Remove("line_items_quantity");
        copy.Remove("subscription_data_metadata");
        copy.Remove("trial_days");
        copy.Remove("trial_missing_payment_method");
        copy.Remove("discount_promotion_code");
        copy.Remove("customer_update_address");
        copy.Remove("customer_update_name");
        return copy;
    }
}
