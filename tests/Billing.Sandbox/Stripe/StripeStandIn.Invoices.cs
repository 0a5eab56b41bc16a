using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>Invoices: created by subscriptions, listed, and previewed (create_preview) for a change of price.</summary>
public sealed partial class StripeStandIn
{
    private StripeReply ListInvoices(StripeParams p, HttpRequest _)
    {
        IEnumerable<JsonObject> invoices = _invoices.Values.OrderByDescending(i => i["created"]!.GetValue<long>());
        if (p.Str("customer") is { } customer)
        {
            invoices = invoices.Where(i => i["customer"]!.GetValue<string>() == customer);
        }

        if (p.Str("subscription") is { } subscription)
        {
            invoices = invoices.Where(i => i["parent"]?["subscription_details"]?["subscription"]?.GetValue<string>() == subscription);
        }

        if (p.Str("status") is { } status)
        {
            invoices = invoices.Where(i => i["status"]!.GetValue<string>() == status);
        }

        return ListOf(invoices, p, "/v1/invoices");
    }

    private JsonObject NewInvoice(JsonObject subscription, string status, string billingReason, IEnumerable<(string Description, long Amount, bool Proration)> lines, bool? automaticTax = null)
    {
        var id = StripeIds.New("in");
        var item = Item(subscription);
        var price = item["price"]!.AsObject();
        var currency = subscription["currency"]!.GetValue<string>();
        var lineArray = new JsonArray(lines.Select(l => (JsonNode)new JsonObject
        {
            ["id"] = StripeIds.New("il"),
            ["object"] = "line_item",
            ["amount"] = l.Amount,
            ["currency"] = currency,
            ["description"] = l.Description,
            ["period"] = new JsonObject { ["start"] = item["current_period_start"]!.GetValue<long>(), ["end"] = item["current_period_end"]!.GetValue<long>() },
            ["quantity"] = item["quantity"]!.GetValue<long>(),
            ["pricing"] = new JsonObject
            {
                ["type"] = "price_details",
                ["price_details"] = new JsonObject { ["price"] = price["id"]!.GetValue<string>(), ["product"] = price["product"]!.GetValue<string>() },
                ["unit_amount_decimal"] = l.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_item_details",
                ["subscription_item_details"] = new JsonObject
                {
                    ["subscription"] = subscription["id"]!.GetValue<string>(),
                    ["subscription_item"] = item["id"]!.GetValue<string>(),
                    ["proration"] = l.Proration,
                    ["invoice_item"] = null,
                },
            },
        }).ToArray());
        var subtotal = lineArray.Sum(l => l!["amount"]!.GetValue<long>());
        var discount = DiscountOn(subscription, subtotal, consume: status != "draft", out var discountId);
        var taxed = automaticTax ?? subscription["automatic_tax"]?["enabled"]?.GetValue<bool>() ?? false;
        var (tax, totalTaxes, included) = TaxOn(subscription["customer"]!.GetValue<string>(), subtotal - discount, taxed, TaxBehaviorIn(price, currency));
        var total = subtotal - discount + (included ? 0 : tax);
        var paid = status == "paid";
        var (startingBalance, endingBalance, applied) = status == "draft" ? (0L, 0L, 0L) : ApplyBalance(subscription["customer"]!.GetValue<string>(), total, id);
        var due = Math.Max(0, total - applied);
        var invoice = new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoice",
            ["customer"] = subscription["customer"]!.GetValue<string>(),
            ["status"] = status,
            ["billing_reason"] = billingReason,
            ["collection_method"] = "charge_automatically",
            ["currency"] = currency,
            ["subtotal"] = subtotal,
            ["subtotal_excluding_tax"] = included ? subtotal - tax : subtotal,
            ["total"] = total,
            ["total_excluding_tax"] = total - tax,
            ["total_taxes"] = totalTaxes,
            ["automatic_tax"] = new JsonObject { ["enabled"] = taxed, ["status"] = taxed ? "complete" : null, ["provider"] = taxed ? "stripe" : null, ["disabled_reason"] = null, ["liability"] = taxed ? new JsonObject { ["type"] = "self" } : null },
            ["total_discount_amounts"] = discountId is null ? new JsonArray() : new JsonArray(new JsonObject { ["amount"] = discount, ["discount"] = discountId }),
            ["amount_due"] = due,
            ["amount_paid"] = paid ? due : 0,
            ["amount_remaining"] = paid ? 0 : due,
            ["starting_balance"] = startingBalance,
            ["ending_balance"] = endingBalance,
            ["attempt_count"] = 1L,
            ["attempted"] = true,
            ["next_payment_attempt"] = null,
            ["created"] = NowOf(subscription["customer"]!.GetValue<string>()),
            ["period_start"] = item["current_period_start"]!.GetValue<long>(),
            ["period_end"] = item["current_period_end"]!.GetValue<long>(),
            ["hosted_invoice_url"] = new Uri(BaseUrl, $"invoices/{id}").AbsoluteUri,
            ["invoice_pdf"] = new Uri(BaseUrl, $"invoices/{id}/pdf").AbsoluteUri,
            ["number"] = $"SBX-{_invoices.Count + 1:D4}",
            ["livemode"] = false,
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["quote_details"] = null,
                ["subscription_details"] = new JsonObject { ["subscription"] = subscription["id"]!.GetValue<string>(), ["metadata"] = subscription["metadata"]!.DeepClone() },
            },
            ["lines"] = new JsonObject { ["object"] = "list", ["data"] = lineArray, ["has_more"] = false, ["url"] = $"/v1/invoices/{id}/lines" },
        };
        _invoices[id] = invoice;
        subscription["latest_invoice"] = id;
        if (paid)
        {
            RecordPayment(invoice);
        }

        return invoice;
    }

    private string Describe(JsonObject price, string currency) =>
        $"1 × {price["product"]} (at {UnitAmountIn(price, currency) / 100m:0.00} {currency.ToUpperInvariant()} / {price["recurring"]?["interval"]})";

    private string Describe(JsonObject subscription, JsonObject price) => Describe(price, subscription["currency"]!.GetValue<string>());

    private StripeReply CreateInvoicePreview(StripeParams p, HttpRequest _)
    {
        var subscriptionId = p.Str("subscription");
        var customer = p.Str("customer");
        if (subscriptionId is null && customer is null)
        {
            return StripeReply.Error(400, "invalid_request_error", "Must provide customer or subscription.", "parameter_missing", "customer");
        }

        if (subscriptionId is null || !_subscriptions.TryGetValue(subscriptionId, out var subscription))
        {
            return StripeReply.NoSuch("subscription", subscriptionId ?? string.Empty, "subscription");
        }

        if (customer is not null && subscription["customer"]!.GetValue<string>() != customer)
        {
            return StripeReply.Error(400, "invalid_request_error", "The subscription does not belong to that customer.", "parameter_invalid_string", "subscription");
        }

        var item = Item(subscription);
        var oldPrice = item["price"]!.AsObject();
        var newPrice = oldPrice;
        if (p.Str("subscription_details[items][0][price]") is { } priceId)
        {
            if (!_prices.TryGetValue(priceId, out newPrice))
            {
                return StripeReply.NoSuch("price", priceId, "subscription_details[items][0][price]");
            }
        }

        if (UnitAmountIn(newPrice, subscription["currency"]!.GetValue<string>()) is null)
        {
            return CurrencyNotSupported(newPrice, subscription["currency"]!.GetValue<string>(), "subscription_details[items][0][price]");
        }

        var behavior = p.Str("subscription_details[proration_behavior]") ?? "create_prorations";
        var lines = newPrice == oldPrice ? [] : ProrationLines(subscription, item, oldPrice, newPrice, behavior);
        lines.Add((Describe(subscription, newPrice), ItemAmount(subscription, newPrice) * item["quantity"]!.GetValue<long>(), false));

        // The preview computes tax only when asked to (automatic_tax[enabled]), as the invoice it previews would.
        var preview = NewInvoice(subscription, "draft", "upcoming", lines, automaticTax: p.Bool("automatic_tax[enabled]") ?? false);
        _invoices.Remove(preview["id"]!.GetValue<string>());
        subscription["latest_invoice"] = _invoices.Values.LastOrDefault(i => i["parent"]?["subscription_details"]?["subscription"]?.GetValue<string>() == subscriptionId)?["id"]?.GetValue<string>();
        preview["id"] = "upcoming_" + preview["id"]!.GetValue<string>();
        return StripeReply.Ok(preview);
    }
}
