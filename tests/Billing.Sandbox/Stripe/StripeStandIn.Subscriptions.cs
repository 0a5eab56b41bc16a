using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>Subscriptions: created by a paid checkout (or seeded), updated with proration, canceled; their items embed the price.</summary>
public sealed partial class StripeStandIn
{
    // Card numbers never appear in Stripe's objects; the stand-in remembers which saved cards will decline.
    private readonly HashSet<string> _decliningCards = new(StringComparer.Ordinal);

    /// <summary>Builds Stripe parameters from pairs, for control operations that reuse the API handlers.</summary>
    private static StripeParams Form(params (string Key, string Value)[] pairs)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = QueryString.Create(pairs.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)));
        return StripeParams.ReadAsync(context.Request).GetAwaiter().GetResult();
    }

    private JsonObject NewSubscription(string customerId, JsonObject price, long quantity, JsonObject metadata, string status, string? paymentMethod, string? currency = null, bool automaticTax = false)
    {
        currency ??= price["currency"]!.GetValue<string>();

        // The customer's currency is set by its first subscription (Stripe's multi-currency rule keys on it).
        _customers[customerId]["currency"] ??= currency;
        var now = DateTimeOffset.FromUnixTimeSeconds(NowOf(customerId));
        var id = StripeIds.New("sub");
        var subscription = new JsonObject
        {
            ["id"] = id,
            ["object"] = "subscription",
            ["customer"] = customerId,
            ["status"] = status,
            ["created"] = now.ToUnixTimeSeconds(),
            ["start_date"] = now.ToUnixTimeSeconds(),
            ["billing_cycle_anchor"] = now.ToUnixTimeSeconds(),
            ["cancel_at_period_end"] = false,
            ["cancel_at"] = null,
            ["canceled_at"] = null,
            ["ended_at"] = null,
            ["cancellation_details"] = new JsonObject { ["comment"] = null, ["feedback"] = null, ["reason"] = null },
            ["collection_method"] = "charge_automatically",
            ["currency"] = currency,
            ["automatic_tax"] = new JsonObject { ["enabled"] = automaticTax, ["disabled_reason"] = null, ["liability"] = automaticTax ? new JsonObject { ["type"] = "self" } : null },
            ["default_payment_method"] = paymentMethod,
            ["latest_invoice"] = null,
            ["livemode"] = false,
            ["metadata"] = metadata,
            ["trial_start"] = null,
            ["trial_end"] = null,
            ["discounts"] = new JsonArray(),
            ["schedule"] = null,
            ["items"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(NewItem(id, price, quantity, now)),
                ["has_more"] = false,
                ["url"] = $"/v1/subscription_items?subscription={id}",
            },
        };
        _subscriptions[id] = subscription;
        return subscription;
    }

    private static JsonObject NewItem(string subscriptionId, JsonObject price, long quantity, DateTimeOffset start)
    {
        var interval = price["recurring"]!["interval"]!.GetValue<string>();
        var end = interval switch
        {
            "year" => start.AddYears(1),
            "week" => start.AddDays(7),
            "day" => start.AddDays(1),
            _ => start.AddMonths(1),
        };
        return new JsonObject
        {
            ["id"] = StripeIds.New("si"),
            ["object"] = "subscription_item",
            ["created"] = start.ToUnixTimeSeconds(),
            ["current_period_start"] = start.ToUnixTimeSeconds(),
            ["current_period_end"] = end.ToUnixTimeSeconds(),
            ["metadata"] = new JsonObject(),
            ["price"] = PublicPrice(price),
            ["quantity"] = quantity,
            ["subscription"] = subscriptionId,
            ["discounts"] = new JsonArray(),
            ["tax_rates"] = new JsonArray(),
        };
    }

    /// <summary>
    /// Newest first. Like Stripe, without a <c>status</c> it leaves out canceled subscriptions; <c>all</c> lists every
    /// one, <c>ended</c> the canceled and the expired; a list is never expanded unless asked.
    /// </summary>
    private StripeReply ListSubscriptions(StripeParams p, HttpRequest r)
    {
        var status = p.Str("status");
        if (status is not (null or "all" or "ended" or "active" or "canceled" or "incomplete" or "incomplete_expired" or "past_due" or "paused" or "trialing" or "unpaid"))
        {
            return StripeReply.Error(400, "invalid_request_error", $"Invalid status: must be one of active, all, canceled, ended, incomplete, incomplete_expired, past_due, paused, trialing, or unpaid", "parameter_invalid_string", "status");
        }

        bool Wanted(string s) => status switch
        {
            null => s != "canceled",
            "all" => true,
            "ended" => s is "canceled" or "incomplete_expired",
            _ => s == status,
        };
        return ListOf(
            Enumerable.Reverse(_subscriptions.Values).Where(s => (p.Str("customer") is not { } c || s["customer"]!.GetValue<string>() == c) && Wanted(s["status"]!.GetValue<string>())),
            p,
            "/v1/subscriptions");
    }

    private StripeReply FindSubscription(string id, StripeParams p) =>
        _subscriptions.TryGetValue(id, out var subscription) ? Expanded(subscription, p) : StripeReply.NoSuch("subscription", id, "subscription_exposed_id");

    /// <summary>
    /// A subscription as Stripe answers it, with the expansions asked for (<c>latest_invoice</c>, <c>discounts</c>,
    /// <c>discounts.source.coupon</c>, <c>discounts.promotion_code</c>); any other expansion is refused.
    /// </summary>
    private StripeReply Expanded(JsonObject subscription, StripeParams p)
    {
        var copy = subscription.DeepClone().AsObject();
        var expand = p.List("expand");
        foreach (var path in expand)
        {
            if (path is not ("latest_invoice" or "discounts" or "discounts.source.coupon" or "discounts.promotion_code" or "items.data.price.currency_options"))
            {
                return StripeReply.Error(400, "invalid_request_error", $"This property cannot be expanded ({path}).", "parameter_invalid_string", "expand");
            }
        }

        if (expand.Contains("items.data.price.currency_options"))
        {
            foreach (var item in copy["items"]!["data"]!.AsArray().Select(i => i!.AsObject()))
            {
                if (_prices.TryGetValue(item["price"]!["id"]!.GetValue<string>(), out var stored))
                {
                    item["price"]!["currency_options"] = stored["currency_options"]?.DeepClone();
                }
            }
        }

        if (expand.Contains("latest_invoice") && copy["latest_invoice"]?.GetValue<string>() is { } invoiceId && _invoices.TryGetValue(invoiceId, out var invoice))
        {
            copy["latest_invoice"] = invoice.DeepClone();
        }

        return StripeReply.Ok(expand.Any(e => e.StartsWith("discounts", StringComparison.Ordinal))
            ? ExpandDiscounts(copy, expand.Contains("discounts.source.coupon"), expand.Contains("discounts.promotion_code"))
            : copy);
    }

    /// <summary>Starts the item's next billing period at <paramref name="from"/>, as long as its price's interval.</summary>
    private static void StartNewPeriod(JsonObject item, string subscriptionId, JsonObject price, DateTimeOffset from)
    {
        var fresh = NewItem(subscriptionId, price, item["quantity"]!.GetValue<long>(), from);
        item["current_period_start"] = fresh["current_period_start"]!.GetValue<long>();
        item["current_period_end"] = fresh["current_period_end"]!.GetValue<long>();
    }

    private static JsonObject Item(JsonObject subscription) => subscription["items"]!["data"]![0]!.AsObject();

    private StripeReply UpdateSubscription(StripeParams p, HttpRequest r)
    {
        var id = r.RouteValues["id"]!.ToString()!;
        if (!_subscriptions.TryGetValue(id, out var subscription))
        {
            return StripeReply.NoSuch("subscription", id, "subscription_exposed_id");
        }

        if (subscription["status"]!.GetValue<string>() is "canceled" or "incomplete_expired")
        {
            return StripeReply.Error(400, "invalid_request_error", "A canceled subscription can only update its cancellation_details and metadata.");
        }

        if (p.Has("cancel_at_period_end") && subscription["schedule"]?.GetValue<string>() is { } managedBy)
        {
            return StripeReply.Error(400, "invalid_request_error", $"The subscription is managed by the subscription schedule `{managedBy}`, and updating any cancelation behavior directly is not allowed. Please update the schedule instead.");
        }

        var proration = p.Str("proration_behavior");
        if (proration is not null and not ("create_prorations" or "always_invoice" or "none"))
        {
            return StripeReply.Error(400, "invalid_request_error", "Invalid proration_behavior: must be one of create_prorations, none, or always_invoice", "parameter_invalid_string", "proration_behavior");
        }

        var previous = new JsonObject();
        var item = Item(subscription);
        JsonObject? newPrice = null;
        if (p.Str("items[0][price]") is { } priceId)
        {
            var itemId = p.Str("items[0][id]");
            if (itemId is not null && itemId != item["id"]!.GetValue<string>())
            {
                return StripeReply.NoSuch("subscription_item", itemId, "items[0][id]");
            }

            if (!_prices.TryGetValue(priceId, out newPrice) || newPrice["recurring"] is null)
            {
                return StripeReply.NoSuch("price", priceId, "items[0][price]");
            }

            if (itemId is null)
            {
                return StripeReply.Error(400, "invalid_request_error", "Adding a second item is not supported by this stand-in; pass items[0][id].", "parameter_missing", "items[0][id]");
            }

            if (UnitAmountIn(newPrice, subscription["currency"]!.GetValue<string>()) is null)
            {
                return CurrencyNotSupported(newPrice, subscription["currency"]!.GetValue<string>(), "items[0][price]");
            }
        }

        if (p.Bool("automatic_tax[enabled]") is { } automaticTax && automaticTax != subscription["automatic_tax"]!["enabled"]!.GetValue<bool>())
        {
            if (automaticTax && _customers[subscription["customer"]!.GetValue<string>()]["address"]?["country"] is null)
            {
                return StripeReply.Error(400, "invalid_request_error", "The customer's location isn't recognized. Add a valid address to the customer to enable automatic tax.", "customer_tax_location_invalid", "automatic_tax[enabled]");
            }

            previous["automatic_tax"] = subscription["automatic_tax"]!.DeepClone();
            subscription["automatic_tax"]!["enabled"] = automaticTax;
        }

        var paymentBehavior = p.Str("payment_behavior");
        if (paymentBehavior is not null and not ("allow_incomplete" or "default_incomplete" or "error_if_incomplete" or "pending_if_incomplete"))
        {
            return StripeReply.Error(400, "invalid_request_error", "Invalid payment_behavior.", "parameter_invalid_string", "payment_behavior");
        }

        var chargesNow = newPrice is not null && (proration == "always_invoice" || newPrice["recurring"]!["interval"]!.GetValue<string>() != item["price"]!["recurring"]!["interval"]!.GetValue<string>());
        if (chargesNow && paymentBehavior == "error_if_incomplete" && DefaultCardDeclines(subscription["customer"]!.GetValue<string>()))
        {
            // Stripe refuses the whole update when the invoice it would create cannot be paid.
            return StripeReply.Error(402, "card_error", "Your card was declined.", "card_declined", declineCode: "generic_decline");
        }

        if (newPrice is not null && newPrice["id"]!.GetValue<string>() != item["price"]!["id"]!.GetValue<string>())
        {
            var oldPrice = item["price"]!.AsObject();
            previous["items"] = subscription["items"]!.DeepClone();
            var intervalChanged = oldPrice["recurring"]!["interval"]!.GetValue<string>() != newPrice["recurring"]!["interval"]!.GetValue<string>();
            var lines = ProrationLines(subscription, item, oldPrice, newPrice, proration ?? "create_prorations");
            item["price"] = PublicPrice(newPrice);
            if (p.Long("items[0][quantity]") is { } quantity)
            {
                item["quantity"] = quantity;
            }

            if (intervalChanged)
            {
                // A new interval resets the billing cycle anchor to now, as Stripe does.
                StartNewPeriod(item, id, newPrice, DateTimeOffset.UtcNow);
            }

            if (proration == "always_invoice" || intervalChanged)
            {
                var invoice = NewInvoice(subscription, "paid", "subscription_update", intervalChanged ? [.. lines, (Describe(subscription, newPrice), ItemAmount(subscription, newPrice), false)] : lines);
                Emit("invoice.paid", invoice);
            }
        }

        else if (p.Long("items[0][quantity]") is { } quantity && quantity != item["quantity"]!.GetValue<long>())
        {
            // A new quantity alone (seats): prorated for the rest of the period like a change of price, invoiced at
            // once only with always_invoice (else the proration waits for the next invoice).
            if (quantity < 0)
            {
                return StripeReply.Error(400, "invalid_request_error", "Invalid non-negative integer", "parameter_invalid_integer", "items[0][quantity]");
            }

            previous["items"] = subscription["items"]!.DeepClone();
            var price = item["price"]!.AsObject();
            var unused = ProrationLines(subscription, item, price, price, proration ?? "create_prorations");
            item["quantity"] = quantity;
            var owed = ProrationLines(subscription, item, price, price, proration ?? "create_prorations");
            if (proration == "always_invoice" && unused.Count > 0)
            {
                Emit("invoice.paid", NewInvoice(subscription, "paid", "subscription_update", [unused[0], owed[1]]));
            }
        }

        if (p.Bool("cancel_at_period_end") is { } cancelAtPeriodEnd && cancelAtPeriodEnd != subscription["cancel_at_period_end"]!.GetValue<bool>())
        {
            previous["cancel_at_period_end"] = subscription["cancel_at_period_end"]!.GetValue<bool>();
            previous["cancel_at"] = subscription["cancel_at"]?.DeepClone();
            subscription["cancel_at_period_end"] = cancelAtPeriodEnd;
            subscription["cancel_at"] = cancelAtPeriodEnd ? item["current_period_end"]!.GetValue<long>() : null;
            subscription["canceled_at"] = cancelAtPeriodEnd ? StripeIds.Now() : null;
            subscription["cancellation_details"]!["reason"] = cancelAtPeriodEnd ? "cancellation_requested" : null;
        }

        if (MoveTrialEnd(subscription, p, previous) is { } refusedTrial)
        {
            return refusedTrial;
        }

        if (p.Str("discounts[0][promotion_code]") is { } promotionId)
        {
            if (Unredeemable(promotionId, item["price"]!.AsObject(), "discounts[0][promotion_code]") is { } refusedCode)
            {
                return refusedCode;
            }

            previous["discounts"] = subscription["discounts"]?.DeepClone();
            AttachDiscount(subscription, promotionId);
        }

        if (p.Str("default_payment_method") is { } card)
        {
            if (RefuseForeignCard(card, subscription["customer"]!.GetValue<string>(), "default_payment_method") is { } refused)
            {
                return refused;
            }

            previous["default_payment_method"] = subscription["default_payment_method"]?.DeepClone();
            subscription["default_payment_method"] = card.Length == 0 ? null : card;
        }

        var metadata = p.Map("metadata");
        if (metadata.Count > 0)
        {
            previous["metadata"] = subscription["metadata"]!.DeepClone();
            MergeMetadata(subscription, metadata);
        }

        if (previous.Count > 0)
        {
            Emit("customer.subscription.updated", subscription, previous);
        }

        return Expanded(subscription, p);
    }

    private List<(string Description, long Amount, bool Proration)> ProrationLines(JsonObject subscription, JsonObject item, JsonObject oldPrice, JsonObject newPrice, string behavior)
    {
        if (behavior == "none")
        {
            return [];
        }

        var start = item["current_period_start"]!.GetValue<long>();
        var end = item["current_period_end"]!.GetValue<long>();
        var now = Math.Clamp(StripeIds.Now(), start, end);
        var remaining = end > start ? (decimal)(end - now) / (end - start) : 0m;
        var quantity = item["quantity"]!.GetValue<long>();
        var unused = -(long)Math.Round(ItemAmount(subscription, oldPrice) * quantity * remaining, MidpointRounding.AwayFromZero);
        var owed = (long)Math.Round(ItemAmount(subscription, newPrice) * quantity * remaining, MidpointRounding.AwayFromZero);
        return
        [
            ($"Unused time on {oldPrice["product"]} after {DateTimeOffset.FromUnixTimeSeconds(now):d MMM yyyy}", unused, true),
            ($"Remaining time on {newPrice["product"]} after {DateTimeOffset.FromUnixTimeSeconds(now):d MMM yyyy}", owed, true),
        ];
    }

    private StripeReply CancelSubscriptionNow(StripeParams p, HttpRequest r)
    {
        var id = r.RouteValues["id"]!.ToString()!;
        if (!_subscriptions.TryGetValue(id, out var subscription))
        {
            return StripeReply.NoSuch("subscription", id, "subscription_exposed_id");
        }

        if (subscription["status"]!.GetValue<string>() == "canceled")
        {
            return StripeReply.Error(404, "invalid_request_error", $"No such subscription: '{id}'", "resource_missing", "subscription_exposed_id");
        }

        EndNow(subscription, StripeIds.Now());
        return Expanded(subscription, p);
    }

    /// <summary>Ends a subscription at once, as a cancellation requested now does, and tells the webhook.</summary>
    private void EndNow(JsonObject subscription, long now)
    {
        subscription["status"] = "canceled";
        subscription["canceled_at"] = now;
        subscription["ended_at"] = now;
        subscription["cancel_at_period_end"] = false;
        subscription["cancellation_details"]!["reason"] = "cancellation_requested";
        Emit("customer.subscription.deleted", subscription);
    }

    /// <summary>
    /// Stripe's resume: only a paused subscription can be resumed (400 otherwise); it becomes active with a new
    /// period from now, its first invoice paid, and Stripe sends <c>customer.subscription.resumed</c>.
    /// </summary>
    private StripeReply ResumeSubscription(StripeParams p, HttpRequest r)
    {
        var id = r.RouteValues["id"]!.ToString()!;
        if (!_subscriptions.TryGetValue(id, out var subscription))
        {
            return StripeReply.NoSuch("subscription", id, "subscription_exposed_id");
        }

        if (subscription["status"]!.GetValue<string>() != "paused")
        {
            return StripeReply.Error(400, "invalid_request_error", "Only subscriptions with a status of `paused` can be resumed.", "subscription_not_paused");
        }

        var item = Item(subscription);
        var price = item["price"]!.AsObject();
        StartNewPeriod(item, id, price, DateTimeOffset.UtcNow);
        subscription["status"] = "active";
        subscription["pause_collection"] = null;
        var invoice = NewInvoice(subscription, "paid", "subscription_cycle", [(Describe(subscription, price), ItemAmount(subscription, price), false)]);
        Emit("invoice.paid", invoice);
        Emit("customer.subscription.resumed", subscription);
        Emit("customer.subscription.updated", subscription, new JsonObject { ["status"] = "paused" });
        return Expanded(subscription, p);
    }

    /// <summary>Stripe pauses a subscription (a trial that ended without a payment method, say): it bills nothing until resumed.</summary>
    public StripeReply PauseSubscription(string subscriptionId)
    {
        StripeReply reply;
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(subscriptionId, out var subscription) || subscription["status"]!.GetValue<string>() is "canceled" or "incomplete_expired")
            {
                return StripeReply.NoSuch("subscription", subscriptionId);
            }

            var previous = subscription["status"]!.GetValue<string>();
            subscription["status"] = "paused";
            Emit("customer.subscription.paused", subscription);
            Emit("customer.subscription.updated", subscription, new JsonObject { ["status"] = previous });
            reply = StripeReply.Ok(subscription.DeepClone());
        }

        FlushEvents();
        return reply;
    }
}
