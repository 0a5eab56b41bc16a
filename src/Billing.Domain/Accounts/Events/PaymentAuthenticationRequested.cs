namespace Billing.Domain.Accounts.Events;

/// <summary>The bank asks the customer to authenticate (3-D Secure) the payment of the open invoice; the user is told once per request.</summary>
public sealed record PaymentAuthenticationRequested(string UserId, DateTimeOffset OccurredAt, string InvoiceId, string Occasion) : AccountEvent(UserId, OccurredAt);
