using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// Free trials as Stripe runs them: a checkout with <c>trial_period_days</c> starts a <c>trialing</c> subscription
/// with a $0 invoice (and with no card when <c>payment_method_collection=if_required</c>); three days before the
/// end Stripe sends <c>trial_will_end</c>; at the end it charges the card, or without one does what
/// <c>trial_settings.end_behavior.missing_payment_method</c> says (cancel, pause, or an open invoice).
/// </summary>
public sealed partial class StripeStandIn
{
    private StripeReply StartTrialLocked(JsonObject session, string customerId, string? paymentMethod, long days)
    {
        var price = _prices[session["line_items_price"]!.GetValue<string>()];
        var subscription = NewSubscription(customerId, price, session["line_items_quantity"]!.GetValue<long>(), session["subscription_data_metadata"]!.DeepClone().AsObject(), "trialing", paymentMethod, session["currency"]!.GetValue<string>(), session["automatic_tax"]!["enabled"]!.GetValue<bool>());
        if (session["discount_promotion_code"]?.GetValue<string>() is { } promotionId)
        {
            AttachDiscount(subscription, promotionId);
        }

        var now = NowOf(customerId);
        var trialEnd = now + (days * 86400);
        subscription["trial_start"] = now;
        subscription["trial_end"] = trialEnd;
        subscription["trial_settings"] = new JsonObject { ["end_behavior"] = new JsonObject { ["missing_payment_method"] = session["trial_missing_payment_method"]!.GetValue<string>() } };
        Item(subscription)["current_period_end"] = trialEnd;
        var invoice = NewInvoice(subscription, "paid", "subscription_create", [($"Trial period for {price["product"]}", 0, false)]);
        session["subscription"] = subscription["id"]!.GetValue<string>();
        session["invoice"] = invoice["id"]!.GetValue<string>();
        session["status"] = "complete";
        session["payment_status"] = "no_payment_required";
        Emit("checkout.session.completed", PublicSession(session));
        Emit("customer.subscription.created", subscription);
        Emit("invoice.paid", invoice);
        return StripeReply.Ok(PublicSession(session));
    }

    /// <summary>Stripe's notice three days before a trial ends.</summary>
    public StripeReply TrialWillEnd(string subscriptionId)
    {
        StripeReply reply;
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(subscriptionId, out var subscription) || subscription["status"]!.GetValue<string>() != "trialing")
            {
                return StripeReply.Error(400, "invalid_request_error", "Only a trialing subscription has a trial to end.");
            }

            Emit("customer.subscription.trial_will_end", subscription);
            reply = StripeReply.Ok(subscription.DeepClone());
        }

        FlushEvents();
        return reply;
    }

    /// <summary>The trial's end arrives: the card is charged, or without one the configured end behaviour applies.</summary>
    public StripeReply EndTrial(string subscriptionId)
    {
        StripeReply reply;
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(subscriptionId, out var subscription) || subscription["status"]!.GetValue<string>() != "trialing")
            {
                return StripeReply.Error(400, "invalid_request_error", "Only a trialing subscription has a trial to end.");
            }

            EndTrialAt(subscription, StripeIds.Now());
            reply = StripeReply.Ok(subscription.DeepClone());
        }

        FlushEvents();
        return reply;
    }

    /// <summary>The trial ends at <paramref name="now"/>: the card (or bank account) is charged, or without one the end behaviour applies.</summary>
    private void EndTrialAt(JsonObject subscription, long now)
    {
        var subscriptionId = subscription["id"]!.GetValue<string>();
        var item = Item(subscription);
        var price = item["price"]!.AsObject();
        subscription["trial_end"] = now;
        var card = ChargedCard(subscription);
        var behaviour = subscription["trial_settings"]?["end_behavior"]?["missing_payment_method"]?.GetValue<string>() ?? "create_invoice";
        if (card is null && behaviour == "cancel")
        {
            subscription["status"] = "canceled";
            subscription["canceled_at"] = now;
            subscription["ended_at"] = now;
            subscription["cancellation_details"]!["reason"] = "cancellation_requested";
            Emit("customer.subscription.deleted", subscription);
        }
        else if (card is null && behaviour == "pause")
        {
            subscription["status"] = "paused";
            Emit("customer.subscription.paused", subscription);
            Emit("customer.subscription.updated", subscription, new JsonObject { ["status"] = "trialing" });
        }
        else
        {
            StartNewPeriod(item, subscriptionId, price, DateTimeOffset.FromUnixTimeSeconds(now));
            var debits = card is not null && IsBankDebit(card);
            var pays = card is not null && !_decliningCards.Contains(card);
            var invoice = NewInvoice(subscription, pays && !debits ? "paid" : "open", "subscription_cycle", [(Describe(subscription, price), ItemAmount(subscription, price), false)]);
            subscription["status"] = pays ? "active" : "past_due";
            if (debits)
            {
                StartDebit(invoice, card!, now, sessionId: null);
            }
            else if (!pays)
            {
                invoice["next_payment_attempt"] = card is null ? null : now + (3 * 86400);
                Emit("invoice.payment_failed", invoice);
            }
            else
            {
                Emit("invoice.paid", invoice);
            }

            Emit("customer.subscription.updated", subscription, new JsonObject { ["status"] = "trialing" });
        }
    }

    /// <summary>
    /// <c>trial_end</c> on a subscription update: a timestamp within Stripe's two years (or <c>now</c>). A running
    /// trial moves; an active subscription enters a trial until then, as in Stripe.
    /// </summary>
    private StripeReply? MoveTrialEnd(JsonObject subscription, StripeParams p, JsonObject previous)
    {
        if (p.Str("trial_end") is not { } raw)
        {
            return null;
        }

        var now = StripeIds.Now();
        long end;
        if (raw == "now")
        {
            end = now;
        }
        else if (!long.TryParse(raw, out end) || end <= now || end > now + (730 * 86400))
        {
            return StripeReply.Error(400, "invalid_request_error", "Invalid timestamp: must be an integer Unix timestamp in the future and within two years.", "parameter_invalid_integer", "trial_end");
        }

        if (subscription["status"]!.GetValue<string>() is not ("trialing" or "active"))
        {
            return StripeReply.Error(400, "invalid_request_error", $"trial_end cannot be set on a subscription with status {subscription["status"]}.", "parameter_invalid_integer", "trial_end");
        }

        previous["trial_end"] = subscription["trial_end"]?.DeepClone();
        previous["status"] = subscription["status"]!.GetValue<string>();
        subscription["trial_start"] ??= now;
        subscription["trial_end"] = end;
        subscription["status"] = end > now ? "trialing" : "active";
        Item(subscription)["current_period_end"] = Math.Max(end, Item(subscription)["current_period_start"]!.GetValue<long>());
        return null;
    }
}
