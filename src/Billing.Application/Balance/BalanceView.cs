using Billing.Domain.Accounts;

namespace Billing.Application.Balance;

/// <summary>
/// The customer's balance as this service holds it (no Stripe call): <see cref="Credit"/> is what the next invoices
/// will have taken off, <see cref="Owed"/> what they will add, in minor units of <see cref="Currency"/>; and the
/// credits operators granted, newest first.
/// </summary>
public sealed record BalanceView(string? Currency, long Credit, long Owed, IReadOnlyList<BalanceCreditView> Credits)
{
    public static BalanceView Of(BillingAccount account, IReadOnlyList<BalanceCredit> credits)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(credits);
        return new BalanceView(
            account.BillingCurrency ?? account.Currency ?? credits.FirstOrDefault()?.Currency,
            account.CreditAvailable,
            account.CustomerBalance is > 0 and var owed ? owed : 0,
            credits.Select(c => new BalanceCreditView(c.TransactionId, c.Amount, c.Currency, c.Reason, c.GrantedAt)).ToList());
    }
}
