using System.Text.Json.Nodes;
using Billing.Sandbox.Stripe;
using Stripe;
using Stripe.Checkout;

namespace Billing.Sandbox.Tests;

/// <summary>
/// Every object the Stripe stand-in answers or sends in an event carries every field Stripe's own type declarations
/// for API version 2026-10-28.endive mark as always present (npm <c>stripe</c> 23.1.0, MIT licence, Copyright (c)
/// Stripe, Inc.: the fields of each resource interface declared without <c>?</c>; a field that may be null is still
/// present, as null). A field the service does not read today is one it may read tomorrow.
/// </summary>
public sealed class StripeShapeTests
{
    private static readonly Dictionary<string, string[]> AlwaysPresent = new(StringComparer.Ordinal)
    {
        ["subscription"] = ["id", "object", "application", "application_fee_percent", "automatic_tax", "billing_cycle_anchor", "billing_cycle_anchor_config", "billing_mode", "billing_schedules", "billing_thresholds", "cancel_at", "cancel_at_period_end", "canceled_at", "cancellation_details", "collection_method", "created", "currency", "customer", "customer_account", "days_until_due", "default_payment_method", "default_source", "description", "discounts", "ended_at", "invoice_settings", "items", "latest_invoice", "livemode", "managed_payments", "metadata", "next_pending_invoice_item_invoice", "on_behalf_of", "pause_collection", "payment_settings", "pending_invoice_item_interval", "pending_setup_intent", "pending_update", "schedule", "start_date", "status", "test_clock", "transfer_data", "trial_end", "trial_settings", "trial_start"],
        ["invoice"] = ["id", "object", "account_country", "account_name", "account_tax_ids", "amount_due", "amount_overpaid", "amount_paid", "amount_remaining", "amount_shipping", "application", "attempt_count", "attempted", "automatic_tax", "automatically_finalizes_at", "billing_reason", "collection_method", "created", "currency", "custom_fields", "customer", "customer_account", "customer_address", "customer_email", "customer_name", "customer_phone", "customer_shipping", "customer_tax_exempt", "default_payment_method", "default_source", "default_tax_rates", "description", "discounts", "due_date", "effective_at", "ending_balance", "footer", "from_invoice", "issuer", "last_finalization_error", "latest_revision", "lines", "livemode", "metadata", "next_payment_attempt", "number", "on_behalf_of", "parent", "payment_settings", "period_end", "period_start", "post_payment_credit_notes_amount", "pre_payment_credit_notes_amount", "receipt_number", "rendering", "shipping_cost", "shipping_details", "starting_balance", "statement_descriptor", "status", "status_transitions", "subtotal", "subtotal_excluding_tax", "test_clock", "total", "total_discount_amounts", "total_excluding_tax", "total_pretax_credit_amounts", "total_taxes", "webhooks_delivered_at"],
        ["checkout.session"] = ["id", "object", "adaptive_pricing", "after_expiration", "allow_promotion_codes", "allowed_payment_method_types", "amount_subtotal", "amount_total", "automatic_tax", "billing_address_collection", "cancel_url", "client_reference_id", "client_secret", "collected_information", "consent", "consent_collection", "created", "currency", "currency_conversion", "custom_fields", "custom_text", "customer", "customer_account", "customer_creation", "customer_details", "customer_email", "discounts", "expires_at", "integration_identifier", "invoice", "invoice_creation", "livemode", "locale", "managed_payments", "metadata", "mode", "origin_context", "payment_intent", "payment_link", "payment_method_collection", "payment_method_configuration_details", "payment_method_options", "payment_method_types", "payment_status", "permissions", "recovered_from", "saved_payment_method_options", "setup_intent", "shipping_address_collection", "shipping_cost", "shipping_options", "status", "submit_type", "subscription", "success_url", "total_details", "ui_mode", "url", "wallet_options"],
        ["charge"] = ["id", "object", "amount", "amount_captured", "amount_refunded", "application", "application_fee", "application_fee_amount", "balance_transaction", "billing_details", "calculated_statement_descriptor", "captured", "created", "currency", "customer", "description", "disputed", "failure_balance_transaction", "failure_code", "failure_message", "fraud_details", "livemode", "metadata", "on_behalf_of", "outcome", "paid", "payment_intent", "payment_method", "payment_method_details", "receipt_email", "receipt_number", "receipt_url", "refunded", "review", "shipping", "source", "source_transfer", "statement_descriptor", "statement_descriptor_suffix", "status", "transfer_data", "transfer_group"],
        ["setup_intent"] = ["id", "object", "allowed_payment_method_types", "application", "automatic_payment_methods", "cancellation_reason", "client_secret", "created", "customer", "description", "excluded_payment_method_types", "last_setup_error", "latest_attempt", "livemode", "mandate", "metadata", "next_action", "on_behalf_of", "payment_method", "payment_method_configuration_details", "payment_method_options", "payment_method_types", "single_use_mandate", "status", "usage"],
        ["customer"] = ["id", "object", "balance", "created", "default_source", "description", "email", "invoice_settings", "livemode", "metadata", "shipping"],
        ["price"] = ["id", "object", "active", "billing_scheme", "created", "currency", "custom_unit_amount", "livemode", "lookup_key", "metadata", "nickname", "product", "recurring", "tax_behavior", "tiers_mode", "transform_quantity", "type", "unit_amount", "unit_amount_decimal"],
        ["product"] = ["id", "object", "active", "created", "description", "images", "livemode", "marketing_features", "metadata", "name", "package_dimensions", "shippable", "tax_details", "type", "updated", "url"],
        ["refund"] = ["id", "object", "amount", "balance_transaction", "charge", "created", "currency", "customer", "customer_account", "metadata", "payment_intent", "payment_method", "reason", "receipt_number", "source_transfer_reversal", "status", "transfer_reversal"],
        ["dispute"] = ["id", "object", "amount", "balance_transactions", "charge", "created", "currency", "enhanced_eligibility_types", "evidence", "evidence_details", "intended_submission_method", "is_charge_refundable", "livemode", "metadata", "payment_intent", "reason", "status"],
        ["payment_intent"] = ["id", "object", "allowed_payment_method_types", "amount", "amount_capturable", "amount_received", "application", "application_fee_amount", "automatic_payment_methods", "canceled_at", "cancellation_reason", "capture_method", "client_secret", "confirmation_method", "created", "currency", "customer", "customer_account", "description", "excluded_payment_method_types", "last_payment_error", "latest_charge", "livemode", "managed_payments", "metadata", "next_action", "on_behalf_of", "payment_method", "payment_method_configuration_details", "payment_method_options", "payment_method_types", "payment_record", "processing", "receipt_email", "review", "setup_future_usage", "shipping", "source", "statement_descriptor", "statement_descriptor_suffix", "status", "transfer_group"],
        ["payment_method"] = ["id", "object", "billing_details", "created", "customer", "customer_account", "livemode", "metadata", "type"],
        ["coupon"] = ["id", "object", "amount_off", "created", "currency", "duration", "duration_in_months", "livemode", "max_redemptions", "metadata", "name", "percent_off", "redeem_by", "times_redeemed", "valid"],
        ["promotion_code"] = ["id", "object", "active", "code", "created", "customer", "customer_account", "expires_at", "livemode", "max_redemptions", "metadata", "promotion", "restrictions", "times_redeemed"],
        ["webhook_endpoint"] = ["id", "object", "api_version", "application", "created", "description", "enabled_events", "livemode", "metadata", "status", "url"],
        ["subscription_item"] = ["id", "object", "billing_thresholds", "created", "current_period_end", "current_period_start", "current_trial", "discounts", "metadata", "plan", "price", "subscription", "tax_rates"],
        ["billing_portal.session"] = ["id", "object", "configuration", "created", "customer", "customer_account", "flow", "livemode", "locale", "on_behalf_of", "return_url", "url"],
    };

    private static IEnumerable<JsonObject> ObjectsIn(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["object"]?.GetValueKind() == System.Text.Json.JsonValueKind.String)
                {
                    yield return obj;
                }

                foreach (var (_, child) in obj)
                {
                    foreach (var inner in ObjectsIn(child))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var inner in ObjectsIn(item))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    [Test]
    public async Task Every_object_answered_or_sent_carries_every_field_Stripe_always_sends()
    {
        await using var stripe = new StripeStandIn();
        await stripe.StartAsync();
        var client = new StripeClient(apiKey: stripe.ApiKey, apiBase: stripe.BaseUrl.AbsoluteUri.TrimEnd('/'), httpClient: new SystemNetHttpClient(maxNetworkRetries: 0));
        await new ProductService(client).CreateAsync(new ProductCreateOptions { Id = "prod_plan", Name = "Plan" });
        var price = await new PriceService(client).CreateAsync(new PriceCreateOptions { Product = "prod_plan", UnitAmount = 1900, Currency = "usd", LookupKey = "starter_monthly", Recurring = new PriceRecurringOptions { Interval = "month" } });
        var customer = await new CustomerService(client).CreateAsync(new CustomerCreateOptions { Email = "shape@example.com" });
        var session = await new SessionService(client).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription", Customer = customer.Id, SuccessUrl = "https://example.com/ok", CancelUrl = "https://example.com/no",
            LineItems = [new SessionLineItemOptions { Price = price.Id, Quantity = 1 }],
        });
        stripe.CompleteCheckout(session.Id, StripeStandIn.CardSucceeds);
        var subscriptionId = stripe.Subscription(stripe.Events().Select(e => e["data"]!["object"]!).First(o => o["object"]!.GetValue<string>() == "subscription")["id"]!.GetValue<string>())!["id"]!.GetValue<string>();
        stripe.FailRenewal(subscriptionId);
        var invoiceId = stripe.Subscription(subscriptionId)!["latest_invoice"]!.GetValue<string>();
        stripe.RenewNow(subscriptionId);
        var paid = stripe.Subscription(subscriptionId)!["latest_invoice"]!.GetValue<string>();
        stripe.DisputeInvoice(paid);
        var setup = await new SessionService(client).CreateAsync(new SessionCreateOptions { Mode = "setup", Customer = customer.Id, Currency = "usd", SuccessUrl = "https://example.com/ok", CancelUrl = "https://example.com/no" });
        stripe.CompleteCheckout(setup.Id, StripeStandIn.CardSucceeds);
        var setupIntent = stripe.Events().Select(e => e["data"]!["object"]!).Last(o => o["id"]?.GetValue<string>() == setup.Id)["setup_intent"]?.GetValue<string>();
        var charge = stripe.Events().Select(e => e["data"]!["object"]!).First(o => o["object"]!.GetValue<string>() == "dispute")["charge"]!.GetValue<string>();
        var coupon = await new CouponService(client).CreateAsync(new CouponCreateOptions { PercentOff = 10, Duration = "once" });
        await new PromotionCodeService(client).CreateAsync(new PromotionCodeCreateOptions { Promotion = new PromotionCodePromotionOptions { Type = "coupon", Coupon = coupon.Id }, Code = "SHAPE10" });
        await new global::Stripe.BillingPortal.SessionService(client).CreateAsync(new global::Stripe.BillingPortal.SessionCreateOptions { Customer = customer.Id });
        await new WebhookEndpointService(client).CreateAsync(new WebhookEndpointCreateOptions { Url = "https://example.com/hook", EnabledEvents = ["invoice.paid"] });

        var answered = new List<JsonObject>();
        foreach (var path in new[] { $"/v1/subscriptions/{subscriptionId}?expand[]=latest_invoice", $"/v1/invoices/{invoiceId}", $"/v1/customers/{customer.Id}", $"/v1/checkout/sessions/{session.Id}", "/v1/prices", "/v1/products", "/v1/coupons", "/v1/promotion_codes", "/v1/webhook_endpoints", "/v1/charges", "/v1/disputes", "/v1/refunds", $"/v1/setup_intents/{setupIntent}", $"/v1/charges/{charge}", "/v1/payment_methods?customer=" + customer.Id })
        {
            using var http = new HttpClient { BaseAddress = stripe.BaseUrl };
            http.DefaultRequestHeaders.Authorization = new("Bearer", stripe.ApiKey);
            using var response = await http.GetAsync(path.TrimStart('/'));
            if (response.IsSuccessStatusCode)
            {
                answered.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
            }
        }

        var objects = stripe.Events().Select(e => e["data"]!["object"]).Concat(answered).SelectMany(ObjectsIn).ToList();
        var missing = objects
            .Where(o => AlwaysPresent.ContainsKey(o["object"]!.GetValue<string>()))
            .SelectMany(o => AlwaysPresent[o["object"]!.GetValue<string>()].Where(f => !o.ContainsKey(f)).Select(f => $"{o["object"]}.{f}"))
            .Distinct().Order().ToList();
        var kinds = objects.Select(o => o["object"]!.GetValue<string>()).Where(AlwaysPresent.ContainsKey).ToHashSet();

        Assert.That(kinds, Is.SupersetOf(new[] { "subscription", "invoice", "checkout.session", "customer", "price", "product", "dispute", "subscription_item", "promotion_code", "webhook_endpoint", "charge", "setup_intent", "payment_method" }), string.Join(", ", kinds));
        Assert.That(missing, Is.Empty, string.Join(", ", missing));
    }

    [Test]
    public async Task A_subscriptions_items_list_has_no_total_count_as_Stripes_lists_never_do()
    {
        await using var stripe = new StripeStandIn();
        await stripe.StartAsync();
        var client = new StripeClient(apiKey: stripe.ApiKey, apiBase: stripe.BaseUrl.AbsoluteUri.TrimEnd('/'), httpClient: new SystemNetHttpClient(maxNetworkRetries: 0));
        await new ProductService(client).CreateAsync(new ProductCreateOptions { Id = "prod_plan", Name = "Plan" });
        await new PriceService(client).CreateAsync(new PriceCreateOptions { Product = "prod_plan", UnitAmount = 1900, Currency = "usd", LookupKey = "starter_monthly", Recurring = new PriceRecurringOptions { Interval = "month" } });
        var (_, subscriptionId) = stripe.SeedSubscription("starter_monthly");
        Assert.That(stripe.Subscription(subscriptionId)!["items"]!.AsObject().ContainsKey("total_count"), Is.False);
    }
}
