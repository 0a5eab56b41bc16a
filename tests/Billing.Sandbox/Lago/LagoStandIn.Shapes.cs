using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Lago;

/// <summary>
/// The whole shape of what Lago answers, field by field as its API reference lists them (written from its
/// documentation): a customer with its sequential id, slug and applicable time zone and a numeric grace period, a
/// subscription with every date and plan field (null when unset, never absent), and lists with Lago's pagination.
/// </summary>
public sealed partial class LagoStandIn
{
    /// <summary>The organisation's document number prefix, which a customer's slug begins with.</summary>
    private const string DocumentPrefix = "LAG-1234";
    private int _sequence;

    private JsonObject NewCustomer(string externalId)
    {
        var sequential = Interlocked.Increment(ref _sequence);
        var now = DateTimeOffset.UtcNow.ToString("O");
        return new JsonObject
        {
            ["lago_id"] = Guid.NewGuid().ToString(),
            ["sequential_id"] = sequential,
            ["slug"] = $"{DocumentPrefix}-{sequential.ToString("000", CultureInfo.InvariantCulture)}",
            ["external_id"] = externalId,
            ["billing_entity_code"] = "default",
            ["account_type"] = "customer",
            ["address_line1"] = null,
            ["address_line2"] = null,
            ["applicable_timezone"] = "UTC",
            ["city"] = null,
            ["country"] = null,
            ["currency"] = null,
            ["customer_type"] = null,
            ["email"] = null,
            ["finalize_zero_amount_invoice"] = "inherit",
            ["firstname"] = null,
            ["lastname"] = null,
            ["legal_name"] = null,
            ["legal_number"] = null,
            ["logo_url"] = null,
            ["name"] = null,
            ["net_payment_term"] = null,
            ["phone"] = null,
            ["state"] = null,
            ["tax_identification_number"] = null,
            ["timezone"] = null,
            ["url"] = null,
            ["zipcode"] = null,
            ["skip_invoice_custom_sections"] = false,
            ["shipping_address"] = new JsonObject { ["address_line1"] = null, ["address_line2"] = null, ["city"] = null, ["country"] = null, ["state"] = null, ["zipcode"] = null },
            ["created_at"] = now,
            ["updated_at"] = now,
            ["metadata"] = new JsonArray(),
            ["integration_customers"] = new JsonArray(),
            ["billing_configuration"] = new JsonObject { ["invoice_grace_period"] = 0, ["document_locale"] = "en", ["payment_provider"] = null, ["payment_provider_code"] = null, ["provider_customer_id"] = null, ["sync"] = false, ["sync_with_provider"] = false },
        };
    }

    private JsonObject NewSubscription(string externalId, string customerId, string planCode)
    {
        var now = DateTimeOffset.UtcNow;
        var plan = _plans.GetValueOrDefault(planCode);
        var periodStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return new JsonObject
        {
            ["lago_id"] = Guid.NewGuid().ToString(),
            ["external_id"] = externalId,
            ["lago_customer_id"] = _customers.GetValueOrDefault(customerId)?["lago_id"]?.DeepClone(),
            ["external_customer_id"] = customerId,
            ["billing_entity_code"] = "default",
            ["billing_time"] = "calendar",
            ["name"] = null,
            ["plan_code"] = planCode,
            ["plan_amount_cents"] = plan?.AmountCents ?? 0,
            ["plan_amount_currency"] = "USD",
            ["status"] = "active",
            ["created_at"] = now.ToString("O"),
            ["subscription_at"] = now.ToString("O"),
            ["started_at"] = now.ToString("O"),
            ["activated_at"] = now.ToString("O"),
            ["trial_ended_at"] = null,
            ["ending_at"] = null,
            ["terminated_at"] = null,
            ["canceled_at"] = null,
            ["cancellation_reason"] = null,
            ["previous_plan_code"] = null,
            ["next_plan_code"] = null,
            ["downgrade_plan_date"] = null,
            ["current_billing_period_started_at"] = periodStart.ToString("O"),
            ["current_billing_period_ending_at"] = periodStart.AddMonths(1).AddTicks(-TimeSpan.TicksPerSecond).ToString("O"),
            ["on_termination_credit_note"] = null,
            ["on_termination_invoice"] = "generate",
            ["consolidate_invoice"] = null,
            ["purchase_order_number"] = null,
            ["payment_method"] = null,
            ["activation_rules"] = new JsonArray(),
            ["applied_invoice_custom_sections"] = new JsonArray(),
        };
    }

    /// <summary>Lago's customers#index: <c>page</c> and <c>per_page</c> (20 by default), with its pagination meta.</summary>
    private IResult ListCustomers(HttpRequest request)
    {
        var perPage = int.TryParse(request.Query["per_page"], out var n) && n > 0 ? n : 20;
        var page = int.TryParse(request.Query["page"], out var p) && p > 0 ? p : 1;
        var all = _customers.Values.ToList();
        var totalPages = Math.Max(1, (int)Math.Ceiling(all.Count / (double)perPage));
        return Results.Json(new
        {
            customers = all.Skip((page - 1) * perPage).Take(perPage).ToList(),
            meta = new { current_page = page, next_page = page < totalPages ? page + 1 : (int?)null, prev_page = page > 1 ? page - 1 : (int?)null, total_pages = totalPages, total_count = all.Count },
        });
    }
}
