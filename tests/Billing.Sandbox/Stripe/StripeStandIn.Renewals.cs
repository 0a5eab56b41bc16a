using System.Text.Json.Nodes;

namespace Billing.Sandbox.Stripe;

/// <summary>Renewals as a customer's bank or card answers them: paid, declined and retried, awaiting 3-D Secure, or expired unpaid.</summary>
public sealed partial class StripeStandIn
{
    /// <summary>
    /// The period ends and renews: a new period from now, its invoice (with any discount) paid by the card. A schedule
    /// managing the subscription moves to its next phase first, so the new period bills that phase's price.
    /// </summary>
    public StripeReply RenewNow(string subscriptionId)
    {
        StripeReply reply;
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(subscriptionId, out var subscription) || subscription["status"]!.GetValue<string>() is not ("active" or "past_due"))
            {
                return StripeReply.Error(400, "invalid_request_error", "Only an active subscription renews.");
            }

            reply = StripeReply.Ok(RenewAt(subscription, StripeIds.Now(), declinesCount: false).DeepClone());
        }

        FlushEvents();
        return reply;
    }

    /// <summary>
    /// Starts the next period at <paramref name="at"/> and bills it: a card pays at once (a declining one, when
    /// <paramref name="declinesCount"/>, leaves the invoice open and the subscription past due with a retry in three
    /// days); a bank account starts a debit that settles later while the subscription stays active.
    /// </summary>
    private JsonObject RenewAt(JsonObject subscription, long at, bool declinesCount)
    {
        var item = Item(subscription);
        var previous = new JsonObject { ["items"] = subscription["items"]!.DeepClone(), ["metadata"] = subscription["metadata"]!.DeepClone(), ["status"] = subscription["status"]!.GetValue<string>() };
        var price = MovePhase(subscription, item);
        StartNewPeriod(item, subscription["id"]!.GetValue<string>(), price, DateTimeOffset.FromUnixTimeSeconds(at));
        var method = ChargedCard(subscription);
        var debits = method is not null && IsBankDebit(method);
        var declines = declinesCount && (method is null || _decliningCards.Contains(method));
        var invoice = NewInvoice(subscription, debits || declines ? "open" : "paid", "subscription_cycle", [(Describe(subscription, price), ItemAmount(subscription, price) * item["quantity"]!.GetValue<long>(), false)]);
        if (debits)
        {
            StartDebit(invoice, method!, at, sessionId: null);
        }
        else if (declines)
        {
            invoice["next_payment_attempt"] = method is null ? null : at + (3 * 86400);
            subscription["status"] = "past_due";
            Emit("invoice.payment_failed", invoice);
        }
        else
        {
            subscription["status"] = "active";
            Emit("invoice.paid", invoice);
        }

        Emit("customer.subscription.updated", subscription, previous);
        return invoice;
    }

    /// <summary>A renewal payment fails: an open invoice, and the subscription goes past due.</summary>
    public StripeReply FailRenewal(string subscriptionId) => Renew(subscriptionId, needsAuthentication: false);

    private StripeReply Renew(string subscriptionId, bool needsAuthentication)
    {
        StripeReply reply;
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(subscriptionId, out var subscription))
            {
                return StripeReply.NoSuch("subscription", subscriptionId);
            }

            var price = Item(subscription)["price"]!.AsObject();
            var invoice = NewInvoice(subscription, "open", "subscription_cycle", [(Describe(subscription, price), ItemAmount(subscription, price), false)]);

            // Smart Retries try a declined card again later; a payment waiting for the customer is not retried.
            invoice["next_payment_attempt"] = needsAuthentication ? null : StripeIds.Now() + 3 * 86400;
            var previousStatus = subscription["status"]!.GetValue<string>();
            subscription["status"] = "past_due";
            if (needsAuthentication)
            {
                Emit("invoice.payment_action_required", invoice);
            }

            Emit("invoice.payment_failed", invoice);
            Emit("customer.subscription.updated", subscription, new JsonObject { ["status"] = previousStatus });
            reply = StripeReply.Ok(subscription.DeepClone());
        }

        FlushEvents();
        return reply;
    }

    /// <summary>
    /// A renewal whose payment needs 3-D Secure: the invoice stays open with its hosted page, Stripe sends
    /// <c>invoice.payment_action_required</c> and <c>invoice.payment_failed</c>, and the subscription goes past due
    /// until the customer authenticates (<see cref="Authenticate3DSecure"/>).
    /// </summary>
    public StripeReply RequireAuthenticationForRenewal(string subscriptionId) => Renew(subscriptionId, needsAuthentication: true);

    /// <summary>
    /// Smart Retries fail for the last time: the open invoice keeps no next attempt, Stripe sends a last
    /// <c>invoice.payment_failed</c>, and the subscription becomes what the account's setting says
    /// (<paramref name="then"/>: <c>past_due</c> to leave it, <c>unpaid</c> or <c>canceled</c>).
    /// </summary>
    public StripeReply EndRetries(string subscriptionId, string then = "past_due")
    {
        StripeReply reply;
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(subscriptionId, out var subscription) ||
                subscription["latest_invoice"]?.GetValue<string>() is not { } invoiceId ||
                !_invoices.TryGetValue(invoiceId, out var invoice) || invoice["status"]!.GetValue<string>() != "open")
            {
                return StripeReply.Error(400, "invalid_request_error", "Only a subscription with an open invoice has retries to end.");
            }

            if (then is not ("past_due" or "unpaid" or "canceled"))
            {
                return StripeReply.Error(400, "invalid_request_error", "then must be past_due, unpaid or canceled.");
            }

            invoice["next_payment_attempt"] = null;
            invoice["attempt_count"] = invoice["attempt_count"]!.GetValue<long>() + 1;
            var previousStatus = subscription["status"]!.GetValue<string>();
            subscription["status"] = then;
            Emit("invoice.payment_failed", invoice);
            if (then == "canceled")
            {
                var now = StripeIds.Now();
                subscription["canceled_at"] = now;
                subscription["ended_at"] = now;
                subscription["cancellation_details"]!["reason"] = "payment_failed";
                Emit("customer.subscription.deleted", subscription);
            }
            else if (then != previousStatus)
            {
                Emit("customer.subscription.updated", subscription, new JsonObject { ["status"] = previousStatus });
            }

            reply = StripeReply.Ok(subscription.DeepClone());
        }

        FlushEvents();
        return reply;
    }

    /// <summary>A first payment left unauthenticated for 23 hours: the subscription ends <c>incomplete_expired</c>, its invoice void.</summary>
    public StripeReply ExpireIncomplete(string subscriptionId)
    {
        StripeReply reply;
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(subscriptionId, out var subscription) || subscription["status"]!.GetValue<string>() != "incomplete")
            {
                return StripeReply.Error(400, "invalid_request_error", "Only an incomplete subscription expires.");
            }

            if (subscription["latest_invoice"]?.GetValue<string>() is { } invoiceId && _invoices.TryGetValue(invoiceId, out var invoice))
            {
                invoice["status"] = "void";
            }

            var now = StripeIds.Now();
            subscription["status"] = "incomplete_expired";
            subscription["ended_at"] = now;

            // The session whose payment never finished cannot be paid any more either.
            foreach (var session in _sessions.Values.Where(s => s["subscription"]?.GetValue<string>() == subscriptionId && s["status"]!.GetValue<string>() == "open"))
            {
                Expire(session);
            }

            Emit("customer.subscription.updated", subscription, new JsonObject { ["status"] = "incomplete" });
            reply = StripeReply.Ok(subscription.DeepClone());
        }

        FlushEvents();
        return reply;
    }
}
