using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// Payments of paid invoices (API 2025-03-31 and later: an invoice's payments are <c>invoice_payment</c> objects
/// naming a payment intent) and refunds of them, never above what was paid.
/// </summary>
public sealed partial class StripeStandIn
{
    private readonly Dictionary<string, JsonObject> _invoicePayments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _refunds = new(StringComparer.Ordinal);

    public IReadOnlyList<JsonObject> Refunds()
    {
        lock (_gate)
        {
            return _refunds.Values.Select(r => r.DeepClone().AsObject()).ToList();
        }
    }

    /// <summary>Records the payment of an invoice that was just paid: a payment intent and its charge.</summary>
    private void RecordPayment(JsonObject invoice)
    {
        var id = StripeIds.New("inpay");
        var amount = invoice["amount_paid"]!.GetValue<long>();
        _invoicePayments[id] = new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoice_payment",
            ["amount_paid"] = amount,
            ["amount_requested"] = amount,
            ["created"] = StripeIds.Now(),
            ["currency"] = invoice["currency"]!.GetValue<string>(),
            ["invoice"] = invoice["id"]!.GetValue<string>(),
            ["is_default"] = true,
            ["livemode"] = false,
            ["payment"] = Paid(invoice, amount),
            ["status"] = "paid",
            ["status_transitions"] = new JsonObject { ["canceled_at"] = null, ["paid_at"] = StripeIds.Now() },
            ["amount_refunded"] = 0L,
        };
    }

    /// <summary>The payment intent and its charge that paid the invoice.</summary>
    private JsonObject Paid(JsonObject invoice, long amount)
    {
        var paymentIntent = StripeIds.New("pi");
        var charge = NewCharge(invoice["customer"]?.GetValue<string>(), paymentIntent, amount, invoice["currency"]!.GetValue<string>());
        return new JsonObject { ["type"] = "payment_intent", ["payment_intent"] = paymentIntent, ["charge"] = charge["id"]!.GetValue<string>() };
    }

    private StripeReply ListInvoicePayments(StripeParams p, HttpRequest _)
    {
        IEnumerable<JsonObject> payments = _invoicePayments.Values.OrderByDescending(x => x["created"]!.GetValue<long>());
        if (p.Str("invoice") is { } invoice)
        {
            payments = payments.Where(x => x["invoice"]!.GetValue<string>() == invoice);
        }

        if (p.Str("payment[payment_intent]") is { } paymentIntent)
        {
            payments = payments.Where(x => x["payment"]!["payment_intent"]?.GetValue<string>() == paymentIntent);
        }

        return ListOf(payments.Select(Public), p, "/v1/invoice_payments");

        static JsonObject Public(JsonObject payment)
        {
            var copy = payment.DeepClone().AsObject();
            copy.Remove("amount_refunded");
            return copy;
        }
    }

    private StripeReply ListRefunds(StripeParams p, HttpRequest _)
    {
        IEnumerable<JsonObject> refunds = _refunds.Values.OrderByDescending(r => r["created"]!.GetValue<long>());
        if (p.Str("payment_intent") is { } paymentIntent)
        {
            refunds = refunds.Where(r => r["payment_intent"]?.GetValue<string>() == paymentIntent);
        }

        if (p.Str("charge") is { } charge)
        {
            refunds = refunds.Where(r => r["charge"]?.GetValue<string>() == charge);
        }

        return ListOf(refunds, p, "/v1/refunds");
    }

    /// <summary>A refund the bank could not carry out: Stripe marks it failed and sends <c>refund.updated</c>.</summary>
    public StripeReply FailRefund(string refundId)
    {
        StripeReply reply;
        lock (_gate)
        {
            if (!_refunds.TryGetValue(refundId, out var refund) || refund["status"]!.GetValue<string>() != "succeeded")
            {
                return StripeReply.NoSuch("refund", refundId);
            }

            refund["status"] = "failed";
            refund["failure_reason"] = "expired_or_canceled_card";
            var payment = _invoicePayments.Values.First(x => x["payment"]!["charge"]?.GetValue<string>() == refund["charge"]!.GetValue<string>());
            payment["amount_refunded"] = payment["amount_refunded"]!.GetValue<long>() - refund["amount"]!.GetValue<long>();
            Emit("refund.updated", refund, new JsonObject { ["status"] = "succeeded" });
            reply = StripeReply.Ok(refund.DeepClone());
        }

        FlushEvents();
        return reply;
    }

    private StripeReply CreateRefund(StripeParams p, HttpRequest _)
    {
        var paymentIntent = p.Str("payment_intent");
        var charge = p.Str("charge");
        if (paymentIntent is null && charge is null)
        {
            return StripeReply.Error(400, "invalid_request_error", "One of the following params should be provided for this request: payment_intent or charge.", "parameter_missing");
        }

        var payment = _invoicePayments.Values.FirstOrDefault(x =>
            (paymentIntent is not null && x["payment"]!["payment_intent"]?.GetValue<string>() == paymentIntent) ||
            (charge is not null && x["payment"]!["charge"]?.GetValue<string>() == charge));
        if (payment is null)
        {
            return paymentIntent is not null ? StripeReply.NoSuch("payment_intent", paymentIntent, "payment_intent") : StripeReply.NoSuch("charge", charge!, "charge");
        }

        var reason = p.Str("reason");
        if (reason is not null and not ("duplicate" or "fraudulent" or "requested_by_customer"))
        {
            return StripeReply.Error(400, "invalid_request_error", "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer", "parameter_invalid_string", "reason");
        }

        var paid = payment["amount_paid"]!.GetValue<long>();
        var refunded = payment["amount_refunded"]!.GetValue<long>();
        var amount = p.Long("amount") ?? paid - refunded;
        if (amount <= 0 || refunded + amount > paid)
        {
            return StripeReply.Error(400, "invalid_request_error", $"Refund amount ({amount}) is greater than unrefunded amount on charge ({paid - refunded})", "amount_too_large", "amount");
        }

        payment["amount_refunded"] = refunded + amount;
        var id = StripeIds.New("re");
        var refund = new JsonObject
        {
            ["id"] = id,
            ["object"] = "refund",
            ["amount"] = amount,
            ["charge"] = payment["payment"]!["charge"]!.GetValue<string>(),
            ["payment_intent"] = payment["payment"]!["payment_intent"]?.DeepClone(),
            ["created"] = StripeIds.Now(),
            ["currency"] = payment["currency"]!.GetValue<string>(),
            ["metadata"] = Metadata(p.Map("metadata")),
            ["reason"] = reason,
            ["status"] = "succeeded",
        };
        _refunds[id] = refund;
        Emit("refund.created", refund);
        Emit("charge.refunded", new JsonObject
        {
            ["id"] = refund["charge"]!.GetValue<string>(),
            ["object"] = "charge",
            ["amount"] = paid,
            ["amount_refunded"] = refunded + amount,
            ["refunded"] = refunded + amount == paid,
            ["currency"] = refund["currency"]!.GetValue<string>(),
            ["payment_intent"] = refund["payment_intent"]?.DeepClone(),
            ["customer"] = _invoices.GetValueOrDefault(payment["invoice"]!.GetValue<string>())?["customer"]?.GetValue<string>(),
        });
        return StripeReply.Ok(refund.DeepClone());
    }
}
