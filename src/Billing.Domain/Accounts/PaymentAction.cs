namespace Billing.Domain.Accounts;

/// <summary>
/// What the customer must do, where, and by when access is at stake. <see cref="Url"/> is the invoice's hosted
/// page; it is null for <see cref="PaymentActionKind.UpdatePaymentMethod"/>, whose link the caller supplies.
/// </summary>
public sealed record PaymentAction(PaymentActionKind Kind, string? InvoiceId, string? Url, DateTimeOffset? DueAt);
