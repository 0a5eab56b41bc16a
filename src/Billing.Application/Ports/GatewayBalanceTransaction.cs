namespace Billing.Application.Ports;

/// <summary>A customer balance transaction as Stripe answered it: <paramref name="EndingBalance"/> is the balance after it (negative is credit).</summary>
public sealed record GatewayBalanceTransaction(string Id, long Amount, string Currency, long EndingBalance, DateTimeOffset Created);
