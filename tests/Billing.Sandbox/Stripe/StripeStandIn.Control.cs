using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>What a customer does outside the API: pays on the Checkout page, fails a renewal, passes 3-D Secure.</summary>
public sealed partial class StripeStandIn
{
    private void MapControl(WebApplication app)
    {
        app.MapPost("/_sandbox/checkout/{id}/complete", async (HttpRequest request, string id) =>
        {
            var form = request.HasFormContentType ? await request.ReadFormAsync() : null;
            var card = form is not null ? form["card"].ToString() : request.Query["card"].ToString();
            var country = form is not null ? form["country"].ToString() : request.Query["country"].ToString();
            return ToResult(CompleteCheckout(id, string.IsNullOrEmpty(card) ? CardSucceeds : card, string.IsNullOrEmpty(country) ? null : country));
        });
        app.MapPost("/_sandbox/subscriptions/{id}/fail_payment", (string id) => ToResult(FailRenewal(id)));
        app.MapPost("/_sandbox/subscriptions/{id}/renew", (string id) => ToResult(RenewNow(id)));
        app.MapPost("/_sandbox/debits/settle", (string? customer) => Results.Json(new { settled = SettleDebits(customer) }));
        app.MapPost("/_sandbox/clock/advance", (ClockAdvance advance) => ToResult(AdvanceSandboxClocks(advance.Days)));
        app.MapPost("/_sandbox/refunds/{id}/fail", (string id) => ToResult(FailRefund(id)));
        app.MapPost("/_sandbox/invoices/{id}/dispute", (string id, string? reason) => ToResult(DisputeInvoice(id, reason ?? "fraudulent")));
        app.MapPost("/_sandbox/disputes/{id}/close", (string id, string? status) => ToResult(CloseDispute(id, status ?? "won")));
        app.MapPost("/_sandbox/invoices/{id}/authenticate", (string id) => ToResult(Authenticate3DSecure(id)));
        app.MapPost("/_sandbox/subscriptions/{id}/require_authentication", (string id) => ToResult(RequireAuthenticationForRenewal(id)));
        app.MapPost("/_sandbox/subscriptions/{id}/expire_incomplete", (string id) => ToResult(ExpireIncomplete(id)));
        app.MapPost("/_sandbox/subscriptions/{id}/pause", (string id) => ToResult(PauseSubscription(id)));
        app.MapPost("/_sandbox/subscriptions/{id}/trial_will_end", (string id) => ToResult(TrialWillEnd(id)));
        app.MapPost("/_sandbox/subscriptions/{id}/end_trial", (string id) => ToResult(EndTrial(id)));
        app.MapPost("/_sandbox/subscriptions/{id}/end_retries", (string id, string? then) => ToResult(EndRetries(id, then ?? "past_due")));
        app.MapPost("/_sandbox/webhook", (WebhookTarget target) =>
        {
            Webhooks.Configure(target.Url, target.Secret);
            return Results.NoContent();
        });
        app.MapGet("/checkout/{id}", (string id) => CheckoutPage(id));
        app.MapPost("/checkout/{id}", async (HttpRequest request, string id) =>
        {
            var form = await request.ReadFormAsync();
            var card = form["card"].ToString().Replace(" ", string.Empty, StringComparison.Ordinal);
            var reply = CompleteCheckout(id, card, string.IsNullOrEmpty(form["country"]) ? null : form["country"].ToString());
            if (reply.Status != 200)
            {
                return Results.Content(Page("Payment failed", $"<p>{WebUtility.HtmlEncode(reply.Body["error"]?["message"]?.GetValue<string>())}</p><p><a href=\"/checkout/{id}\">Try another card</a></p>"), "text/html");
            }

            // As Stripe does: once paid (or the card saved), the browser goes back to the success URL.
            var session = reply.Body.AsObject();
            return session["mode"]!.GetValue<string>() == "setup" || session["status"]!.GetValue<string>() == "complete"
                ? Results.Redirect(SuccessUrl(session, id))
                : Results.Content(Page("Authentication required", $"<p>Your bank asks you to confirm this payment.</p><form method=\"post\" action=\"/checkout/{WebUtility.HtmlEncode(id)}/authenticate\"><button id=\"authenticate\">Complete 3-D Secure</button></form>"), "text/html");
        });
        app.MapPost("/checkout/{id}/authenticate", (string id) =>
        {
            JsonObject? session;
            lock (_gate)
            {
                session = _sessions.GetValueOrDefault(id)?.DeepClone().AsObject();
            }

            if (session?["invoice"]?.GetValue<string>() is not { } invoice)
            {
                return Results.Content(Page("Not found", "<p>No such checkout session waiting on authentication.</p>"), "text/html", statusCode: 404);
            }

            var authenticated = Authenticate3DSecure(invoice);
            FlushEvents();
            return authenticated.Status == 200
                ? Results.Redirect(SuccessUrl(session, id))
                : Results.Content(Page("Authentication failed", $"<p>{WebUtility.HtmlEncode(authenticated.Body["error"]?["message"]?.GetValue<string>())}</p>"), "text/html");
        });
        app.MapGet("/invoices/{id}", (string id) => InvoicePage(id));
        app.MapPost("/invoices/{id}", async (HttpRequest request, string id) =>
        {
            var card = (await request.ReadFormAsync())["card"].ToString().Replace(" ", string.Empty, StringComparison.Ordinal);
            var reply = PayHostedInvoice(id, card);
            return reply.Status == 200
                ? Results.Content(Page("Invoice paid", $"<p>Invoice <code>{WebUtility.HtmlEncode(id)}</code> is paid. Thank you.</p>"), "text/html")
                : Results.Content(Page("Payment failed", $"<p>{WebUtility.HtmlEncode(reply.Body["error"]?["message"]?.GetValue<string>())}</p><p><a href=\"/invoices/{WebUtility.HtmlEncode(id)}\">Try another card</a></p>"), "text/html");
        });
        app.MapGet("/portal/{id}", (string id, string? return_url) => Results.Content(
            Page("Customer portal (sandbox)", "<p>This stand-in's portal shows no cards or invoices of its own: the billing page shows them through the API.</p>" +
                (return_url is null ? string.Empty : $"<p><a id=\"return\" href=\"{WebUtility.HtmlEncode(return_url)}\">Return to the billing page</a></p>")),
            "text/html"));
    }

    private static IResult ToResult(StripeReply reply) => Results.Content(reply.Body.ToJsonString(), "application/json", statusCode: reply.Status);

    private static string SuccessUrl(JsonObject session, string id) =>
        session["success_url"]!.GetValue<string>().Replace("{CHECKOUT_SESSION_ID}", id, StringComparison.Ordinal);

    private IResult CheckoutPage(string id)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(id, out var session))
            {
                return Results.Content(Page("Not found", "<p>No such checkout session.</p>"), "text/html", statusCode: 404);
            }

            var what = session["line_items_price"]?.GetValue<string>() is { } priceId
                ? Describe(_prices[priceId], session["currency"]!.GetValue<string>())
                : "Save a card for future payments; nothing is charged now.";
            return Results.Content(
                Page(
                    "Stripe Checkout (sandbox)",
                    $"<p>{WebUtility.HtmlEncode(what)}</p>" +
                    $"<form method=\"post\"><label>Card <input name=\"card\" value=\"{CardSucceeds}\" size=\"20\"></label> " +
                    (session["billing_address_collection"]?.GetValue<string>() == "required" ? "<label>Country <input name=\"country\" value=\"US\" size=\"2\"></label> " : string.Empty) +
                    $"<button>{(session["mode"]!.GetValue<string>() == "setup" ? "Save card" : "Pay")}</button></form>" +
                    $"<p>{CardSucceeds} succeeds; {CardDeclines} is declined; {CardNeedsAuthentication} needs authentication; {CardAttachesThenDeclines} is saved but declines every charge.</p>" +
                    (Accepts(session, "sepa_debit") ? $"<p>Or pay by SEPA Direct Debit: type an IBAN in the same field. {IbanSucceeds} succeeds and {IbanFails} fails, {DebitSettlesAfterDays} days later on the sandbox's clock.</p>" : string.Empty) +
                    (session["cancel_url"]?.GetValue<string>() is { } cancel ? $"<p><a id=\"cancel\" href=\"{WebUtility.HtmlEncode(cancel)}\">← Back</a></p>" : string.Empty)),
                "text/html");
        }
    }

    /// <summary>The hosted invoice page: what is owed and, while it is open, a card field (and 3-D Secure when it waits on it).</summary>
    private IResult InvoicePage(string id)
    {
        lock (_gate)
        {
            if (!_invoices.TryGetValue(id, out var invoice))
            {
                return Results.Content(Page("Not found", "<p>No such invoice.</p>"), "text/html", statusCode: 404);
            }

            var amount = $"{invoice["amount_due"]!.GetValue<long>() / 100m:0.00} {invoice["currency"]!.GetValue<string>().ToUpperInvariant()}";
            var status = invoice["status"]!.GetValue<string>();
            var encoded = WebUtility.HtmlEncode(id);
            var body = $"<p>Invoice <code>{WebUtility.HtmlEncode(invoice["number"]?.GetValue<string>())}</code>: {amount}, <strong>{status}</strong>.</p>";
            if (status == "open")
            {
                body += $"<form method=\"post\" action=\"/_sandbox/invoices/{encoded}/authenticate\"><button>Complete 3-D Secure</button></form>" +
                    $"<p>or pay with another card:</p><form method=\"post\" action=\"/invoices/{encoded}\"><label>Card <input name=\"card\" value=\"{CardSucceeds}\" size=\"20\"></label> <button>Pay {amount}</button></form>";
            }

            return Results.Content(Page("Invoice (sandbox)", body), "text/html");
        }
    }

    private static string Page(string title, string body) =>
        $"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body style=\"font-family:sans-serif;max-width:40em;margin:3em auto\"><h1>{title}</h1>{body}</body></html>";

    /// <summary>
    /// The customer pays on the Checkout page with this card number (and, where the page asks for a billing
    /// address, this country; US when not given); returns the session, or Stripe's card error.
    /// </summary>
    public StripeReply CompleteCheckout(string sessionId, string card, string? country = null)
    {
        StripeReply reply;
        lock (_gate)
        {
            reply = CompleteCheckoutLocked(sessionId, card.Replace(" ", string.Empty, StringComparison.Ordinal), country?.Trim().ToUpperInvariant());
        }

        FlushEvents();
        return reply;
    }

    private StripeReply CompleteCheckoutLocked(string sessionId, string card, string? country)
    {
        if (!_sessions.TryGetValue(sessionId, out var session))
        {
            return StripeReply.NoSuch("checkout.session", sessionId, "session");
        }

        ExpireIfDue(session);
        if (session["status"]!.GetValue<string>() != "open")
        {
            return StripeReply.Error(400, "invalid_request_error", "This Checkout Session is no longer active.", "checkout_session_inactive");
        }

        // A trial that collects a card only if required can be started with none.
        var trialDays = session["trial_days"]?.GetValue<long>();
        var noCard = card.Length == 0 && trialDays is not null && session["payment_method_collection"]?.GetValue<string>() == "if_required";
        if (card == CardDeclines)
        {
            return StripeReply.Error(402, "card_error", "Your card was declined.", "card_declined", declineCode: "generic_decline");
        }

        // An IBAN instead of a card: the page offers SEPA Direct Debit only when the session allows it.
        var iban = !noCard && IsIban(card);
        if (iban && (session["mode"]!.GetValue<string>() != "subscription" || !Accepts(session, "sepa_debit")))
        {
            return StripeReply.Error(400, "invalid_request_error", "This Checkout Session does not accept sepa_debit.", "payment_method_unexpected_state");
        }

        if (iban && (card.Length is < 15 or > 34 || !card.All(char.IsAsciiLetterOrDigit)))
        {
            return StripeReply.Error(400, "invalid_request_error", "The IBAN you provided is invalid.", "invalid_bank_account_iban", "sepa_debit[iban]");
        }

        if (!noCard && !iban && (card.Length is < 12 or > 19 || !card.All(char.IsAsciiDigit)))
        {
            return StripeReply.Error(402, "card_error", "Your card number is incorrect.", "incorrect_number", "number");
        }

        if (!noCard && !iban && !Accepts(session, "card"))
        {
            return StripeReply.Error(400, "invalid_request_error", "This Checkout Session does not accept card.", "payment_method_unexpected_state");
        }

        if (session["mode"]!.GetValue<string>() == "setup")
        {
            return CompleteSetupLocked(session, card);
        }

        var customerId = session["customer"]?.GetValue<string>();
        if (customerId is null)
        {
            customerId = ((JsonObject)CreateCustomer(Form(("email", session["customer_email"]?.GetValue<string>() ?? string.Empty)), null!).Body)["id"]!.GetValue<string>();
            session["customer"] = customerId;
        }

        // The address typed on the page is written to the customer when Checkout made it or may update it.
        var asksAddress = session["billing_address_collection"]?.GetValue<string>() == "required" || session["automatic_tax"]?["enabled"]?.GetValue<bool>() == true;
        if (asksAddress && (session["customer_update_address"]?.GetValue<string>() == "auto" || _customers[customerId]["address"] is null))
        {
            _customers[customerId]["address"] = new JsonObject { ["country"] = country ?? "US", ["line1"] = null, ["postal_code"] = null, ["city"] = null, ["state"] = null, ["line2"] = null };
        }

        string? pmId = null;
        if (!noCard)
        {
            pmId = iban ? SaveBankAccount(customerId, card, session["customer_email"]?.GetValue<string>()) : SaveCard(customerId, card, session["customer_email"]?.GetValue<string>());
            _customers[customerId]["invoice_settings"]!["default_payment_method"] = pmId;
        }

        if (trialDays is { } days)
        {
            return StartTrialLocked(session, customerId, pmId, days);
        }

        if (iban)
        {
            return CompleteByDebitLocked(session, customerId, pmId!);
        }

        var price = _prices[session["line_items_price"]!.GetValue<string>()];
        var needsAuthentication = card == CardNeedsAuthentication;
        var subscription = NewSubscription(customerId, price, session["line_items_quantity"]!.GetValue<long>(), session["subscription_data_metadata"]!.DeepClone().AsObject(), needsAuthentication ? "incomplete" : "active", pmId, session["currency"]!.GetValue<string>(), session["automatic_tax"]!["enabled"]!.GetValue<bool>());
        if (session["discount_promotion_code"]?.GetValue<string>() is { } promotionId)
        {
            AttachDiscount(subscription, promotionId);
        }

        var invoice = NewInvoice(subscription, needsAuthentication ? "open" : "paid", "subscription_create", [(Describe(subscription, price), ItemAmount(subscription, price), false)]);
        session["subscription"] = subscription["id"]!.GetValue<string>();
        session["invoice"] = invoice["id"]!.GetValue<string>();
        if (needsAuthentication)
        {
            Emit("customer.subscription.created", subscription);
            Emit("invoice.payment_action_required", invoice);
            return StripeReply.Ok(PublicSession(session));
        }

        session["status"] = "complete";
        session["payment_status"] = "paid";
        Emit("checkout.session.completed", PublicSession(session));
        Emit("customer.subscription.created", subscription);
        Emit("invoice.paid", invoice);
        return StripeReply.Ok(PublicSession(session));
    }

    /// <summary>The customer passes 3-D Secure for an open invoice: it is paid and the subscription becomes active.</summary>
    public StripeReply Authenticate3DSecure(string invoiceId)
    {
        StripeReply reply;
        lock (_gate)
        {
            if (!_invoices.TryGetValue(invoiceId, out var invoice) || invoice["status"]!.GetValue<string>() != "open")
            {
                return StripeReply.NoSuch("invoice", invoiceId);
            }

            invoice["status"] = "paid";
            invoice["amount_paid"] = invoice["amount_due"]!.GetValue<long>();
            invoice["amount_remaining"] = 0;
            RecordPayment(invoice);
            var subscription = _subscriptions[invoice["parent"]!["subscription_details"]!["subscription"]!.GetValue<string>()];
            var previousStatus = subscription["status"]!.GetValue<string>();
            subscription["status"] = "active";
            var session = _sessions.Values.FirstOrDefault(s => s["invoice"]?.GetValue<string>() == invoiceId);
            if (session is not null)
            {
                session["status"] = "complete";
                session["payment_status"] = "paid";
                Emit("checkout.session.completed", PublicSession(session));
            }

            Emit("invoice.paid", invoice);
            Emit("customer.subscription.updated", subscription, new JsonObject { ["status"] = previousStatus });
            reply = StripeReply.Ok(subscription.DeepClone());
        }

        FlushEvents();
        return reply;
    }
}

public sealed record WebhookTarget(Uri Url, string Secret);

public sealed record ClockAdvance(int Days);
