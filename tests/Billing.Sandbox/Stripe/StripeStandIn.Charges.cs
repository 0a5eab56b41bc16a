using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// Charges: each paid invoice's payment has one (<c>GET /v1/charges/{id}</c>). Charges made with the Charges API carry
/// no payment intent, as Stripe's own fixture objects have them: an invoice paid by one lists an invoice payment of
/// type <c>charge</c>, and a charge of no invoice is only its customer's. Disputes and refunds of such charges name the
/// charge and no payment intent.
/// </summary>
public sealed partial class StripeStandIn
{
    private readonly Dictionary<string, JsonObject> _charges = new(StringComparer.Ordinal);

    private JsonObject NewCharge(string? customer, string? paymentIntent, long amount, string currency)
    {
        var id = StripeIds.New("ch");
        var charge = new JsonObject
        {
            ["id"] = id,
            ["object"] = "charge",
            ["amount"] = amount,
            ["amount_captured"] = amount,
            ["amount_refunded"] = 0L,
            ["captured"] = true,
            ["created"] = StripeIds.Now(),
            ["currency"] = currency,
            ["customer"] = customer,
            ["disputed"] = false,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["paid"] = true,
            ["payment_intent"] = paymentIntent,
            ["refunded"] = false,
            ["status"] = "succeeded",
        };
        _charges[id] = charge;
        return charge;
    }

    /// <summary>The paid invoice's payment becomes one by a charge made without a payment intent; answers the charge's id.</summary>
    public string PayInvoiceByChargeAlone(string invoiceId)
    {
        lock (_gate)
        {
            var payment = _invoicePayments.Values.First(p => p["invoice"]!.GetValue<string>() == invoiceId && p["status"]!.GetValue<string>() == "paid");
            var chargeId = payment["payment"]!["charge"]!.GetValue<string>();
            payment["payment"] = new JsonObject { ["type"] = "charge", ["charge"] = chargeId };
            _charges[chargeId]["payment_intent"] = null;
            return chargeId;
        }
    }

    /// <summary>A charge of the customer made outside any invoice, without a payment intent; answers its id.</summary>
    public string ChargeOutsideInvoices(string customerId, long amount, string currency = "usd")
    {
        lock (_gate)
        {
            return NewCharge(customerId, null, amount, currency)["id"]!.GetValue<string>();
        }
    }

    /// <summary>The customer's bank disputes the charge (<c>charge.dispute.created</c>).</summary>
    public StripeReply DisputeCharge(string chargeId, string reason = "fraudulent")
    {
        StripeReply reply;
        lock (_gate)
        {
            if (!_charges.TryGetValue(chargeId, out var charge))
            {
                return StripeReply.NoSuch("charge", chargeId, "charge");
            }

            var now = StripeIds.Now();
            var id = StripeIds.New("dp");
            var dispute = new JsonObject
            {
                ["id"] = id,
                ["object"] = "dispute",
                ["amount"] = charge["amount"]!.GetValue<long>(),
                ["currency"] = charge["currency"]!.GetValue<string>(),
                ["charge"] = chargeId,
                ["payment_intent"] = charge["payment_intent"]?.DeepClone(),
                ["reason"] = reason,
                ["status"] = "needs_response",
                ["is_charge_refundable"] = false,
                ["created"] = now,
                ["livemode"] = false,
                ["metadata"] = new JsonObject(),
                ["evidence_details"] = new JsonObject { ["due_by"] = now + (7 * 86400), ["has_evidence"] = false, ["past_due"] = false, ["submission_count"] = 0 },
            };
            charge["disputed"] = true;
            _disputes[id] = dispute;
            Emit("charge.dispute.created", dispute);
            reply = StripeReply.Ok(dispute.DeepClone());
        }

        FlushEvents();
        return reply;
    }

    private StripeReply FindCharge(HttpRequest request) => Find(_charges, "charge", request.RouteValues["id"]!.ToString()!);
}
