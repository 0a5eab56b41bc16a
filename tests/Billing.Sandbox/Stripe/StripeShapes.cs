using System.Text.Json.Nodes;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// The fields Stripe always sends with an object (API version 2026-10-28.endive; the fields its type declarations
/// mark as always present) that the stand-in's own behaviour does not set: Stripe's values for an object made
/// without the features they describe (no shipping, no tax ids, no Connect, no test clock), in the state the object
/// is in. Added to every answer and every event's object, never over a value the stand-in set.
/// </summary>
internal static class StripeShapes
{
    public static void Complete(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj.ToList())
                {
                    Complete(child);
                }

                if (obj["object"]?.GetValueKind() == System.Text.Json.JsonValueKind.String)
                {
                    CompleteObject(obj, obj["object"]!.GetValue<string>());
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Complete(item);
                }

                break;
        }
    }

    private static void CompleteObject(JsonObject obj, string kind)
    {
        switch (kind)
        {
            case "checkout.session":
                Nulls(obj, "adaptive_pricing", "after_expiration", "allowed_payment_method_types", "client_secret", "collected_information", "consent", "consent_collection",
                    "currency_conversion", "customer_account", "customer_creation", "customer_details", "discounts", "integration_identifier", "invoice_creation", "locale",
                    "managed_payments", "origin_context", "payment_intent", "payment_link", "payment_method_configuration_details", "permissions", "recovered_from",
                    "saved_payment_method_options", "shipping_address_collection", "shipping_cost", "submit_type", "wallet_options");
                Default(obj, "custom_fields", () => new JsonArray());
                Default(obj, "custom_text", () => new JsonObject { ["after_submit"] = null, ["shipping_address"] = null, ["submit"] = null, ["terms_of_service_acceptance"] = null });
                Default(obj, "payment_method_types", () => new JsonArray("card"));
                Default(obj, "payment_method_options", () => new JsonObject());
                Default(obj, "shipping_options", () => new JsonArray());
                Default(obj, "total_details", () => obj["amount_total"] is null ? null : new JsonObject { ["amount_discount"] = 0, ["amount_shipping"] = 0, ["amount_tax"] = 0 });
                Default(obj, "ui_mode", () => "hosted_page");
                break;
            case "charge":
                Nulls(obj, "application", "application_fee", "application_fee_amount", "balance_transaction", "calculated_statement_descriptor", "description",
                    "failure_balance_transaction", "failure_code", "failure_message", "on_behalf_of", "outcome", "payment_method", "payment_method_details",
                    "receipt_email", "receipt_number", "receipt_url", "review", "shipping", "source", "source_transfer", "statement_descriptor",
                    "statement_descriptor_suffix", "transfer_data", "transfer_group");
                Default(obj, "billing_details", () => new JsonObject { ["address"] = null, ["email"] = null, ["name"] = null, ["phone"] = null, ["tax_id"] = null });
                Default(obj, "fraud_details", () => new JsonObject());
                break;
            case "setup_intent":
                Nulls(obj, "allowed_payment_method_types", "application", "automatic_payment_methods", "cancellation_reason", "client_secret", "description",
                    "excluded_payment_method_types", "last_setup_error", "latest_attempt", "mandate", "next_action", "on_behalf_of",
                    "payment_method_configuration_details", "payment_method_options", "single_use_mandate");
                Default(obj, "payment_method_types", () => new JsonArray("card"));
                break;
            case "customer":
                Nulls(obj, "default_source", "shipping");
                break;
            case "dispute":
                Default(obj, "balance_transactions", () => new JsonArray());
                Default(obj, "enhanced_eligibility_types", () => new JsonArray());
                Default(obj, "evidence", Evidence);
                Nulls(obj, "intended_submission_method");
                break;
            case "invoice":
                CompleteInvoice(obj);
                break;
            case "payment_method":
                Nulls(obj, "customer_account");
                break;
            case "price":
                Nulls(obj, "custom_unit_amount", "tiers_mode", "transform_quantity");
                break;
            case "product":
                Default(obj, "images", () => new JsonArray());
                Default(obj, "marketing_features", () => new JsonArray());
                Nulls(obj, "package_dimensions", "shippable", "tax_details", "url");
                break;
            case "subscription":
                Nulls(obj, "application", "application_fee_percent", "billing_cycle_anchor_config", "billing_thresholds", "customer_account", "days_until_due",
                    "default_source", "description", "managed_payments", "next_pending_invoice_item_invoice", "on_behalf_of", "pause_collection",
                    "pending_invoice_item_interval", "pending_setup_intent", "pending_update", "schedule", "test_clock", "transfer_data");
                Default(obj, "billing_mode", () => new JsonObject { ["flexible"] = new JsonObject { ["proration_discounts"] = "included" }, ["type"] = "flexible" });
                Default(obj, "billing_schedules", () => new JsonArray());
                Default(obj, "invoice_settings", () => new JsonObject { ["account_tax_ids"] = null, ["custom_fields"] = null, ["description"] = null, ["footer"] = null, ["issuer"] = new JsonObject { ["type"] = "self" } });
                Default(obj, "payment_settings", () => new JsonObject { ["payment_method_options"] = null, ["payment_method_types"] = null, ["save_default_payment_method"] = "off" });
                Default(obj, "trial_settings", () => new JsonObject { ["end_behavior"] = new JsonObject { ["missing_payment_method"] = "create_invoice" } });
                break;
            case "subscription_item":
                Nulls(obj, "billing_thresholds", "current_trial");
                Default(obj, "plan", () => obj["price"] is JsonObject price ? PlanOf(price) : null);
                break;
        }
    }

    private static void CompleteInvoice(JsonObject invoice)
    {
        var status = invoice["status"]?.GetValue<string>();
        var created = invoice["created"]?.GetValue<long>();
        var finalized = status is not null and not "draft";
        Nulls(invoice, "account_tax_ids", "application", "automatically_finalizes_at", "custom_fields", "customer_account", "customer_address", "customer_email",
            "customer_name", "customer_phone", "customer_shipping", "default_payment_method", "default_source", "description", "due_date", "footer", "from_invoice",
            "last_finalization_error", "latest_revision", "on_behalf_of", "receipt_number", "rendering", "shipping_cost", "shipping_details", "statement_descriptor",
            "test_clock", "total_pretax_credit_amounts");
        Default(invoice, "account_country", () => "US");
        Default(invoice, "account_name", () => "Billing Sandbox");
        foreach (var zero in new[] { "amount_overpaid", "amount_shipping", "post_payment_credit_notes_amount", "pre_payment_credit_notes_amount", "starting_balance" })
        {
            Default(invoice, zero, () => 0);
        }

        Default(invoice, "customer_tax_exempt", () => "none");
        Default(invoice, "default_tax_rates", () => new JsonArray());
        Default(invoice, "discounts", () => new JsonArray());
        Default(invoice, "effective_at", () => finalized ? created : null);
        Default(invoice, "ending_balance", () => finalized ? 0 : null);
        Default(invoice, "issuer", () => new JsonObject { ["type"] = "self" });
        Default(invoice, "metadata", () => new JsonObject());
        Default(invoice, "payment_settings", () => new JsonObject { ["default_mandate"] = null, ["payment_method_options"] = null, ["payment_method_types"] = null });
        Default(invoice, "status_transitions", () => new JsonObject
        {
            ["finalized_at"] = finalized ? created : null,
            ["marked_uncollectible_at"] = status == "uncollectible" ? created : null,
            ["paid_at"] = status == "paid" ? created : null,
            ["voided_at"] = status == "void" ? created : null,
        });
        Default(invoice, "webhooks_delivered_at", () => created);
    }

    /// <summary>A price as the legacy plan Stripe still puts beside it on a subscription item.</summary>
    private static JsonObject PlanOf(JsonObject price) => new()
    {
        ["id"] = price["id"]?.DeepClone(),
        ["object"] = "plan",
        ["active"] = price["active"]?.DeepClone() ?? true,
        ["amount"] = price["unit_amount"]?.DeepClone(),
        ["amount_decimal"] = price["unit_amount"]?.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["billing_scheme"] = "per_unit",
        ["created"] = price["created"]?.DeepClone(),
        ["currency"] = price["currency"]?.DeepClone(),
        ["interval"] = price["recurring"]?["interval"]?.DeepClone(),
        ["interval_count"] = price["recurring"]?["interval_count"]?.DeepClone() ?? 1,
        ["livemode"] = false,
        ["metadata"] = price["metadata"]?.DeepClone() ?? new JsonObject(),
        ["meter"] = null,
        ["nickname"] = price["nickname"]?.DeepClone(),
        ["product"] = price["product"]?.DeepClone(),
        ["tiers_mode"] = null,
        ["transform_usage"] = null,
        ["trial_period_days"] = null,
        ["usage_type"] = "licensed",
    };

    private static JsonObject Evidence()
    {
        var evidence = new JsonObject();
        foreach (var field in new[]
        {
            "access_activity_log", "billing_address", "cancellation_policy", "cancellation_policy_disclosure", "cancellation_rebuttal", "customer_communication",
            "customer_email_address", "customer_name", "customer_purchase_ip", "customer_signature", "duplicate_charge_documentation", "duplicate_charge_explanation",
            "duplicate_charge_id", "product_description", "receipt", "refund_policy", "refund_policy_disclosure", "refund_refusal_explanation", "service_date",
            "service_documentation", "shipping_address", "shipping_carrier", "shipping_date", "shipping_documentation", "shipping_tracking_number",
            "uncategorized_file", "uncategorized_text",
        })
        {
            evidence[field] = null;
        }

        evidence["enhanced_evidence"] = new JsonObject();
        return evidence;
    }

    private static void Nulls(JsonObject obj, params string[] fields)
    {
        foreach (var field in fields)
        {
            if (!obj.ContainsKey(field))
            {
                obj[field] = null;
            }
        }
    }

    private static void Default(JsonObject obj, string field, Func<JsonNode?> value)
    {
        if (!obj.ContainsKey(field))
        {
            obj[field] = value();
        }
    }
}
