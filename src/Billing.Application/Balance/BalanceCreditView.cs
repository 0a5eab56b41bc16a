namespace Billing.Application.Balance;

/// <summary>One credit granted: Stripe's transaction, the amount in minor units of its currency, and why.</summary>
public sealed record BalanceCreditView(string TransactionId, long Amount, string Currency, string Reason, DateTimeOffset GrantedAt);
