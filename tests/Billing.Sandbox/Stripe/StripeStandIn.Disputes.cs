using System.Text.Json.Nodes;

namespace Billing.Sandbox.Stripe;

/// <summary>
/// Disputes as Stripe has them: a customer's bank disputes a paid invoice's charge (<c>needs_response</c>, evidence
/// due in about a week, <c>charge.dispute.created</c>), and the bank's decision closes it, won or lost
/// (<c>charge.dispute.closed</c>).
/// </summary>
public sealed partial class StripeStandIn
{
    private readonly Dictionary<string, JsonObject> _disputes = new(StringComparer.Ordinal);

    /// <summary>The customer's bank disputes the payment of this invoice (its charge).</summary>
    public StripeReply DisputeInvoice(string invoiceId, string reason = "fraudulent")
    {
        string chargeId;
        lock (_gate)
        {
            var payment = _invoicePayments.Values.FirstOrDefault(p => p["invoice"]!.GetValue<string>() == invoiceId && p["status"]!.GetValue<string>() == "paid");
            if (payment is null)
            {
                return StripeReply.Error(400, "invalid_request_error", "Only a paid invoice's charge can be disputed.");
            }

            chargeId = payment["payment"]!["charge"]!.GetValue<string>();
        }

        return DisputeCharge(chargeId, reason);
    }

    /// <summary>The bank decides: <c>won</c> (the money stays) or <c>lost</c> (it goes back to the customer).</summary>
    public StripeReply CloseDispute(string disputeId, string status)
    {
        StripeReply reply;
        lock (_gate)
        {
            if (!_disputes.TryGetValue(disputeId, out var dispute) || status is not ("won" or "lost"))
            {
                return StripeReply.Error(400, "invalid_request_error", "An open dispute closes as won or lost.");
            }

            var previous = dispute["status"]!.GetValue<string>();
            dispute["status"] = status;
            Emit("charge.dispute.closed", dispute, new JsonObject { ["status"] = previous });
            reply = StripeReply.Ok(dispute.DeepClone());
        }

        FlushEvents();
        return reply;
    }

    private StripeReply FindDispute(string id) =>
        _disputes.TryGetValue(id, out var dispute) ? StripeReply.Ok(dispute.DeepClone()) : StripeReply.NoSuch("dispute", id, "dispute");
}
