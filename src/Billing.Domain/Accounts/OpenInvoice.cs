namespace Billing.Domain.Accounts;

/// <summary>
/// The subscription's latest invoice while it is still open (unpaid, not void): what the customer can pay on its
/// hosted page. <see cref="NextPaymentAttempt"/> is null once Stripe has stopped retrying it on its own.
/// </summary>
public sealed record OpenInvoice(string InvoiceId, string? HostedUrl, DateTimeOffset? NextPaymentAttempt, DateTimeOffset CreatedAt)
{
    /// <summary>Stripe's Smart Retries will try the card again by themselves.</summary>
    public bool StripeRetries => NextPaymentAttempt is not null;
}
