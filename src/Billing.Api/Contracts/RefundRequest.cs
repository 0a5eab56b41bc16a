namespace Billing.Api.Contracts;

/// <summary>What to refund.</summary>
/// <param name="InvoiceId">The invoice whose payment is refunded (in_…).</param>
/// <param name="Amount">Minor units; all that is left of the payment when omitted.</param>
/// <param name="Reason">duplicate, fraudulent or requested_by_customer.</param>
/// <param name="CancelSubscription">Also end the invoice's subscription at once.</param>
public sealed record RefundRequest(string? InvoiceId, long? Amount, string? Reason, bool? CancelSubscription);
