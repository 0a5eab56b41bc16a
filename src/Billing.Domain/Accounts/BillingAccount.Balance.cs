namespace Billing.Domain.Accounts;

/// <summary>The Stripe customer's balance: credit the next invoices use, or an amount they add.</summary>
public sealed partial class BillingAccount
{
    /// <summary>
    /// Stripe's customer balance in minor units of the billing currency: negative is credit the next invoices use,
    /// positive an amount they add. Null until Stripe reported it.
    /// </summary>
    public long? CustomerBalance { get; private set; }

    /// <summary>When the balance held was reported (an event's creation, or Stripe's answer).</summary>
    public DateTimeOffset? CustomerBalanceReportedAt { get; private set; }

    /// <summary>What the next invoice will have taken off, from the balance (zero when there is no credit).</summary>
    public long CreditAvailable => CustomerBalance is < 0 and var balance ? -balance : 0;

    /// <summary>
    /// Notes the balance Stripe reported at <paramref name="reportedAt"/>; an older report changes nothing. Bookkeeping
    /// only (nothing Keycloak or Lago see), so it records no event.
    /// </summary>
    public bool NoteCustomerBalance(long balance, DateTimeOffset reportedAt)
    {
        if (CustomerBalanceReportedAt is { } last && reportedAt < last)
        {
            return false;
        }

        CustomerBalanceReportedAt = reportedAt;
        if (CustomerBalance == balance)
        {
            return false;
        }

        CustomerBalance = balance;
        return true;
    }
}
