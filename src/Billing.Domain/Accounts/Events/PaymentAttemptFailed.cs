namespace Billing.Domain.Accounts.Events;

/// <summary>A payment attempt for the subscription's open invoice failed; the user is told once per attempt (<paramref name="Occasion"/>).</summary>
public sealed record PaymentAttemptFailed(string UserId, DateTimeOffset OccurredAt, string InvoiceId, string Occasion) : AccountEvent(UserId, OccurredAt);
