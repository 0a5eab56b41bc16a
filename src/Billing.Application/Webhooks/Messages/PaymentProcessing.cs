namespace Billing.Application.Webhooks.Messages;

/// <summary>A payment of a customer (a bank debit) is processing: its money is on its way, its answer days away.</summary>
public sealed record PaymentProcessing(string EventId, DateTimeOffset CreatedAt, string PaymentId, string? CustomerId)
    : StripeEventMessage(EventId, CreatedAt, PaymentId, CustomerId, null);
