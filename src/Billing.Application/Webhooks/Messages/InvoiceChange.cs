namespace Billing.Application.Webhooks.Messages;

/// <summary>What Stripe said happened to an invoice.</summary>
public enum InvoiceChange
{
    Drafted,
    Finalized,
    Updated,
    Voided,
    MarkedUncollectible,
    Paid,
    PaymentFailed,

    /// <summary>The payment needs the customer to authenticate (3-D Secure).</summary>
    PaymentActionRequired,
}
