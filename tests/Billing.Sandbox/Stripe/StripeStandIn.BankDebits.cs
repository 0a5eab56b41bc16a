using System.Text.Json.Nodes;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// Bank debits (SEPA Direct Debit) as Stripe runs them, a "delayed notification" payment method: Checkout offers
/// <c>sepa_debit</c> only in EUR (any other currency is refused when the session is made); a session paid by debit
/// completes with <c>payment_status=unpaid</c> while the debit is <c>processing</c>, and days later Stripe sends
/// <c>checkout.session.async_payment_succeeded</c> or <c>_failed</c>. An invoice paid by debit stays <c>open</c> while
/// its payment is processing and the subscription stays active; a debit that fails leaves the invoice open with no
/// retry and the subscription past due. Stripe's test IBANs decide the outcome: <see cref="IbanSucceeds"/> succeeds,
/// <see cref="IbanFails"/> fails. Stripe takes up to 14 business days to confirm a debit; the stand-in settles one
/// <see cref="DebitSettlesAfterDays"/> days after it started (on its customer's test clock), or when
/// <see cref="SettleDebits"/> says so.
/// </summary>
public sealed partial class StripeStandIn
{
    public const string IbanSucceeds = "DE89370400440532013000";
    public const string IbanFails = "DE62370400440532013001";
    public const int DebitSettlesAfterDays = 5;

    /// <summary>The currencies each payment method Checkout offers here accepts (Stripe's payment method currency table); a card takes any.</summary>
    private static readonly Dictionary<string, string[]> MethodCurrencies = new(StringComparer.Ordinal)
    {
        ["sepa_debit"] = ["eur"],
        ["us_bank_account"] = ["usd"],
        ["bacs_debit"] = ["gbp"],
    };

    private readonly Dictionary<string, JsonObject> _debits = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failingAccounts = new(StringComparer.Ordinal);

    /// <summary>
    /// Stripe refuses a session whose currency one of its payment method types cannot take (the wording is Stripe's
    /// for a PaymentIntent, said here of a Checkout Session), and a type it does not know.
    /// </summary>
    private static StripeReply? UnavailableMethod(IReadOnlyList<string> methods, string currency)
    {
        foreach (var method in methods)
        {
            if (method != "card" && !MethodCurrencies.ContainsKey(method))
            {
                return StripeReply.Error(400, "invalid_request_error", $"The payment method type provided: {method} is invalid. Please ensure the provided type is activated in your dashboard (https://dashboard.stripe.com/account/payments/settings) and your account is enabled for any preview features that you are trying to use.", "payment_method_invalid_parameter", "payment_method_types");
            }

            if (MethodCurrencies.TryGetValue(method, out var currencies) && !Takes(method, currency))
            {
                return StripeReply.Error(400, "invalid_request_error", $"The currency provided ({currency}) is invalid for one or more payment method types on this Checkout Session. The payment method type {method} only supports the following currencies: {string.Join(", ", currencies)}. Either correct the provided currency, or use a different Checkout Session to accept this payment method type.", "payment_method_invalid_parameter", "payment_method_types");
            }
        }

        return null;
    }

    /// <summary>Whether a payment method known here takes this currency (a card takes any).</summary>
    private static bool Takes(string method, string currency) =>
        method == "card" || (MethodCurrencies.TryGetValue(method, out var currencies) && currencies.Contains(currency));

    private static bool IsIban(string entry) => entry.Length >= 2 && char.IsAsciiLetter(entry[0]) && char.IsAsciiLetter(entry[1]);

    private static bool Accepts(JsonObject session, string method) =>
        session["payment_method_types"]?.AsArray().Any(m => m?.GetValue<string>() == method) ?? method == "card";

    private bool IsBankDebit(string paymentMethodId) =>
        _paymentMethods.TryGetValue(paymentMethodId, out var method) && method["type"]?.GetValue<string>() == "sepa_debit";

    /// <summary>A SEPA Direct Debit payment method, its mandate accepted on the Checkout page.</summary>
    private string SaveBankAccount(string customerId, string iban, string? email)
    {
        var id = StripeIds.New("pm");
        _paymentMethods[id] = new JsonObject
        {
            ["id"] = id,
            ["object"] = "payment_method",
            ["type"] = "sepa_debit",
            ["customer"] = customerId,
            ["created"] = NowOf(customerId),
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["billing_details"] = new JsonObject { ["email"] = email, ["name"] = "Jenny Rosen" },
            ["sepa_debit"] = new JsonObject
            {
                ["bank_code"] = iban.Length >= 12 ? iban[4..12] : null,
                ["branch_code"] = null,
                ["country"] = iban[..2].ToUpperInvariant(),
                ["fingerprint"] = StripeIds.New("fp")[3..],
                ["last4"] = iban[^4..],
                ["generated_from"] = null,
            },
        };
        if (iban == IbanFails)
        {
            _failingAccounts.Add(id);
        }

        return id;
    }

    /// <summary>
    /// The debit of an invoice starts at <paramref name="at"/>: its payment intent is <c>processing</c> (Stripe sends
    /// <c>payment_intent.processing</c>) and the invoice stays open until it settles. An invoice with nothing left to
    /// pay (the customer's balance covered it) is paid at once.
    /// </summary>
    private void StartDebit(JsonObject invoice, string paymentMethod, long at, string? sessionId)
    {
        if (invoice["amount_due"]!.GetValue<long>() == 0)
        {
            invoice["status"] = "paid";
            RecordPayment(invoice);
            Emit("invoice.paid", invoice);
            return;
        }

        // Stripe finalizes the invoice, then tries its payment: a debit is processing.
        Emit("invoice.finalized", invoice);
        var id = StripeIds.New("pi");
        var intent = new JsonObject
        {
            ["id"] = id,
            ["object"] = "payment_intent",
            ["amount"] = invoice["amount_due"]!.GetValue<long>(),
            ["currency"] = invoice["currency"]!.GetValue<string>(),
            ["customer"] = invoice["customer"]!.GetValue<string>(),
            ["created"] = at,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["payment_method"] = paymentMethod,
            ["payment_method_types"] = new JsonArray("sepa_debit"),
            ["status"] = "processing",
            ["last_payment_error"] = null,
        };
        _debits[id] = new JsonObject
        {
            ["intent"] = intent,
            ["invoice"] = invoice["id"]!.GetValue<string>(),
            ["session"] = sessionId,
            ["settles_at"] = at + (DebitSettlesAfterDays * 86400L),
        };
        Emit("payment_intent.processing", intent);
    }

    /// <summary>Settles every debit still processing (of one customer when given), whatever its date; returns how many.</summary>
    public int SettleDebits(string? customerId = null)
    {
        int settled;
        lock (_gate)
        {
            var due = _debits.Where(d => customerId is null || d.Value["intent"]!["customer"]!.GetValue<string>() == customerId).Select(d => d.Key).ToList();
            foreach (var id in due)
            {
                SettleDebit(id, StripeIds.Now());
            }

            settled = due.Count;
        }

        FlushEvents();
        return settled;
    }

    /// <summary>Debits of this customer that settle by <paramref name="until"/>, earliest first.</summary>
    private IEnumerable<(string Id, long At)> DebitsDue(string customerId, long until) =>
        _debits.Where(d => d.Value["intent"]!["customer"]!.GetValue<string>() == customerId && d.Value["settles_at"]!.GetValue<long>() <= until)
            .Select(d => (d.Key, d.Value["settles_at"]!.GetValue<long>()))
            .OrderBy(d => d.Item2);

    private void SettleDebit(string intentId, long at)
    {
        var debit = _debits[intentId];
        _debits.Remove(intentId);
        var intent = debit["intent"]!.AsObject();
        var invoice = _invoices[debit["invoice"]!.GetValue<string>()];
        var subscription = _subscriptions.GetValueOrDefault(invoice["parent"]?["subscription_details"]?["subscription"]?.GetValue<string>() ?? string.Empty);
        var session = debit["session"]?.GetValue<string>() is { } sessionId ? _sessions[sessionId] : null;
        var fails = _failingAccounts.Contains(intent["payment_method"]!.GetValue<string>());
        var previousStatus = subscription?["status"]!.GetValue<string>();
        if (!fails)
        {
            intent["status"] = "succeeded";
            invoice["status"] = "paid";
            invoice["amount_paid"] = invoice["amount_due"]!.GetValue<long>();
            invoice["amount_remaining"] = 0L;
            RecordPayment(invoice);
            Emit("payment_intent.succeeded", intent);
            Emit("invoice.paid", invoice);
            if (subscription is not null && previousStatus is "past_due" or "incomplete")
            {
                subscription["status"] = "active";
                Emit("customer.subscription.updated", subscription, new JsonObject { ["status"] = previousStatus });
            }

            if (session is not null)
            {
                session["payment_status"] = "paid";
                Emit("checkout.session.async_payment_succeeded", PublicSession(session));
            }

            return;
        }

        // A failed debit is not retried by Stripe: the customer must give another way to pay.
        intent["status"] = "requires_payment_method";
        intent["last_payment_error"] = new JsonObject { ["type"] = "invalid_request_error", ["code"] = "payment_method_provider_decline", ["message"] = "The customer's bank could not debit the account.", ["payment_method"] = new JsonObject { ["id"] = intent["payment_method"]!.GetValue<string>(), ["type"] = "sepa_debit" } };
        invoice["next_payment_attempt"] = null;
        invoice["attempt_count"] = invoice["attempt_count"]!.GetValue<long>() + 1;
        Emit("payment_intent.payment_failed", intent);
        Emit("invoice.payment_failed", invoice);
        if (subscription is not null && previousStatus == "active")
        {
            subscription["status"] = "past_due";
            Emit("customer.subscription.updated", subscription, new JsonObject { ["status"] = previousStatus });
        }

        if (session is not null)
        {
            Emit("checkout.session.async_payment_failed", PublicSession(session));
        }
    }

    /// <summary>
    /// The customer gives their IBAN on a subscription's Checkout page: the mandate is accepted, the subscription is
    /// active while its first invoice's debit is processing, and the session completes unpaid.
    /// </summary>
    private StripeReply CompleteByDebitLocked(JsonObject session, string customerId, string paymentMethod)
    {
        var price = _prices[session["line_items_price"]!.GetValue<string>()];
        var subscription = NewSubscription(customerId, price, session["line_items_quantity"]!.GetValue<long>(), session["subscription_data_metadata"]!.DeepClone().AsObject(), "active", paymentMethod, session["currency"]!.GetValue<string>(), session["automatic_tax"]!["enabled"]!.GetValue<bool>());
        if (session["discount_promotion_code"]?.GetValue<string>() is { } promotionId)
        {
            AttachDiscount(subscription, promotionId);
        }

        var invoice = NewInvoice(subscription, "open", "subscription_create", [(Describe(subscription, price), ItemAmount(subscription, price) * Item(subscription)["quantity"]!.GetValue<long>(), false)]);
        var sessionId = session["id"]!.GetValue<string>();
        session["subscription"] = subscription["id"]!.GetValue<string>();
        session["invoice"] = invoice["id"]!.GetValue<string>();
        session["status"] = "complete";
        session["payment_status"] = "unpaid";
        session["url"] = null;
        Emit("checkout.session.completed", PublicSession(session));
        Emit("customer.subscription.created", subscription);
        StartDebit(invoice, paymentMethod, NowOf(customerId), sessionId);
        if (invoice["status"]!.GetValue<string>() == "paid")
        {
            session["payment_status"] = "paid";
        }

        return StripeReply.Ok(PublicSession(session));
    }
}
