namespace Billing.Domain.Accounts;

/// <summary>
/// Credit an operator put on a customer's balance (a goodwill gesture, an outage, a deal), in minor units of
/// <see cref="Currency"/>; Stripe applies it to the next invoices. Kept with the Stripe transaction that made it.
/// </summary>
public sealed class BalanceCredit
{
    private BalanceCredit()
    {
        UserId = string.Empty;
        TransactionId = string.Empty;
        Currency = string.Empty;
        Reason = string.Empty;
        GrantedBy = string.Empty;
    }

    public long Id { get; private set; }

    public string UserId { get; private set; }

    /// <summary>Stripe's customer balance transaction (<c>cbtxn_…</c>): one credit, however often its request ran.</summary>
    public string TransactionId { get; private set; }

    public long Amount { get; private set; }

    public string Currency { get; private set; }

    public string Reason { get; private set; }

    public string GrantedBy { get; private set; }

    public DateTimeOffset GrantedAt { get; private set; }

    public static BalanceCredit Grant(string userId, string transactionId, long amount, string currency, string reason, string grantedBy, DateTimeOffset grantedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        return new BalanceCredit
        {
            UserId = userId,
            TransactionId = transactionId,
            Amount = amount,
            Currency = currency,
            Reason = reason ?? string.Empty,
            GrantedBy = grantedBy ?? string.Empty,
            GrantedAt = grantedAt,
        };
    }
}
