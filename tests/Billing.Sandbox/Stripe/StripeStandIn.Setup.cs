using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// Saving a card without a charge (a Checkout Session in setup mode and its SetupIntent), choosing the default card
/// of a customer or subscription, and paying an open invoice on demand. As in Stripe, a saved card does not become
/// anyone's default by itself, and a card only declines when it is charged.
/// </summary>
public sealed partial class StripeStandIn
{
    /// <summary>Stripe's test card that is saved without trouble but declines every charge.</summary>
    public const string CardAttachesThenDeclines = "4000000000000341";

    private readonly Dictionary<string, JsonObject> _setupIntents = new(StringComparer.Ordinal);

    /// <summary>A card the customer entered, saved to them (card numbers never appear in Stripe's objects).</summary>
    private string SaveCard(string customerId, string card, string? email)
    {
        var id = StripeIds.New("pm");
        _paymentMethods[id] = new JsonObject
        {
            ["id"] = id,
            ["object"] = "payment_method",
            ["type"] = "card",
            ["customer"] = customerId,
            ["created"] = StripeIds.Now(),
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["billing_details"] = new JsonObject { ["email"] = email, ["name"] = null },
            ["card"] = new JsonObject
            {
                ["brand"] = card.StartsWith('4') ? "visa" : card.StartsWith('5') ? "mastercard" : "unknown",
                ["last4"] = card[^4..],
                ["exp_month"] = 12,
                ["exp_year"] = DateTime.UtcNow.Year + 4,
                ["funding"] = "credit",
                ["country"] = "US",
            },
        };
        if (card is CardDeclines or CardAttachesThenDeclines)
        {
            _decliningCards.Add(id);
        }

        return id;
    }

    /// <summary>The customer saves a card on a setup session's page: a succeeded SetupIntent, no charge, no new default.</summary>
    private StripeReply CompleteSetupLocked(JsonObject session, string card)
    {
        if (session["customer"]?.GetValue<string>() is not { } customerId)
        {
            return StripeReply.Error(400, "invalid_request_error", "This stand-in saves cards for an existing customer only.", "parameter_missing", "customer");
        }

        var paymentMethod = SaveCard(customerId, card, session["customer_email"]?.GetValue<string>());
        var id = StripeIds.New("seti");
        var intent = new JsonObject
        {
            ["id"] = id,
            ["object"] = "setup_intent",
            ["customer"] = customerId,
            ["payment_method"] = paymentMethod,
            ["status"] = "succeeded",
            ["usage"] = "off_session",
            ["created"] = StripeIds.Now(),
            ["livemode"] = false,
            ["metadata"] = session["metadata"]!.DeepClone(),
        };
        _setupIntents[id] = intent;
        session["setup_intent"] = id;
        session["status"] = "complete";
        session["payment_status"] = "no_payment_required";
        session["url"] = null;
        Emit("setup_intent.succeeded", intent);
        Emit("checkout.session.completed", PublicSession(session));
        return StripeReply.Ok(PublicSession(session));
    }

    private StripeReply FindSetupIntent(string id) =>
        _setupIntents.TryGetValue(id, out var intent) ? StripeReply.Ok(intent.DeepClone()) : StripeReply.NoSuch("setup_intent", id, "intent");

    /// <summary>A card given as a default must be one of the customer's own.</summary>
    private StripeReply? RefuseForeignCard(string? paymentMethod, string customerId, string param)
    {
        if (paymentMethod is null or "")
        {
            return null;
        }

        return _paymentMethods.TryGetValue(paymentMethod, out var method) && method["customer"]?.GetValue<string>() == customerId
            ? null
            : StripeReply.Error(400, "invalid_request_error", $"The customer does not have a payment method with the ID {paymentMethod}. The payment method must be attached to the customer.", "resource_missing", param);
    }

    private StripeReply UpdateCustomer(StripeParams p, HttpRequest r)
    {
        var id = r.RouteValues["id"]!.ToString()!;
        if (!_customers.TryGetValue(id, out var customer))
        {
            return StripeReply.NoSuch("customer", id, "id");
        }

        var defaultCard = p.Str("invoice_settings[default_payment_method]");
        if (RefuseForeignCard(defaultCard, id, "invoice_settings[default_payment_method]") is { } refused)
        {
            return refused;
        }

        if (defaultCard is not null)
        {
            customer["invoice_settings"]!["default_payment_method"] = defaultCard.Length == 0 ? null : defaultCard;
        }

        foreach (var field in new[] { "email", "name", "description" })
        {
            if (p.Str(field) is { } value)
            {
                customer[field] = value;
            }
        }

        var metadata = p.Map("metadata");
        if (metadata.Count > 0)
        {
            MergeMetadata(customer, metadata);
        }

        Emit("customer.updated", customer);
        return StripeReply.Ok(customer.DeepClone());
    }

    /// <summary>The card Stripe charges for a subscription: its own default, else the customer's.</summary>
    private string? ChargedCard(JsonObject subscription) =>
        subscription["default_payment_method"]?.GetValue<string>() ??
        _customers[subscription["customer"]!.GetValue<string>()]["invoice_settings"]?["default_payment_method"]?.GetValue<string>();

    /// <summary>
    /// Stripe's pay: an open invoice is charged now (to <c>payment_method</c>, else the default card). A decline is
    /// 402 and leaves the invoice open; paying a paid invoice is 400. A paid renewal brings the subscription back to active.
    /// </summary>
    private StripeReply PayInvoice(StripeParams p, HttpRequest r) => PayInvoiceLocked(r.RouteValues["id"]!.ToString()!, p.Str("payment_method"));

    private StripeReply PayInvoiceLocked(string id, string? card)
    {
        if (!_invoices.TryGetValue(id, out var invoice))
        {
            return StripeReply.NoSuch("invoice", id, "invoice");
        }

        if (invoice["status"]!.GetValue<string>() != "open")
        {
            return StripeReply.Error(400, "invalid_request_error", $"Invoice is already {invoice["status"]!.GetValue<string>()}.", "invoice_not_open");
        }

        var customerId = invoice["customer"]!.GetValue<string>();
        var subscriptionId = invoice["parent"]?["subscription_details"]?["subscription"]?.GetValue<string>();
        var subscription = subscriptionId is null ? null : _subscriptions.GetValueOrDefault(subscriptionId);
        if (RefuseForeignCard(card, customerId, "payment_method") is { } refused)
        {
            return refused;
        }

        card ??= subscription is null ? _customers[customerId]["invoice_settings"]?["default_payment_method"]?.GetValue<string>() : ChargedCard(subscription);
        invoice["attempt_count"] = invoice["attempt_count"]!.GetValue<long>() + 1;
        if (card is null || _decliningCards.Contains(card))
        {
            Emit("invoice.payment_failed", invoice);
            return card is null
                ? StripeReply.Error(400, "invalid_request_error", "The invoice has no payment method to charge.", "invoice_no_payment_method_types")
                : StripeReply.Error(402, "card_error", "Your card was declined.", "card_declined", declineCode: "generic_decline");
        }

        invoice["status"] = "paid";
        invoice["amount_paid"] = invoice["amount_due"]!.GetValue<long>();
        invoice["amount_remaining"] = 0L;
        invoice["next_payment_attempt"] = null;
        RecordPayment(invoice);
        Emit("invoice.paid", invoice);
        if (subscription is not null && subscription["status"]!.GetValue<string>() is "past_due" or "unpaid" or "incomplete")
        {
            var previous = subscription["status"]!.GetValue<string>();
            subscription["status"] = "active";
            Emit("customer.subscription.updated", subscription, new JsonObject { ["status"] = previous });
        }

        return StripeReply.Ok(invoice.DeepClone());
    }

    /// <summary>
    /// The customer pays on the hosted invoice page with a card they type (saved to them, as Stripe does); the
    /// customer is present, so a card that asks for 3-D Secure is authenticated on the page.
    /// </summary>
    public StripeReply PayHostedInvoice(string invoiceId, string card)
    {
        StripeReply reply;
        lock (_gate)
        {
            if (!_invoices.TryGetValue(invoiceId, out var invoice))
            {
                return StripeReply.NoSuch("invoice", invoiceId, "invoice");
            }

            if (card.Length is < 12 or > 19 || !card.All(char.IsAsciiDigit))
            {
                return StripeReply.Error(402, "card_error", "Your card number is incorrect.", "incorrect_number", "number");
            }

            var saved = SaveCard(invoice["customer"]!.GetValue<string>(), card, null);
            reply = PayInvoiceLocked(invoiceId, saved);
        }

        FlushEvents();
        return reply;
    }
}
