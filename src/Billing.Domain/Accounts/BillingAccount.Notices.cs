using Billing.Domain.Accounts.Events;
using Billing.Domain.Plans;

namespace Billing.Domain.Accounts;

/// <summary>
/// What the account's people must be told, recorded as events like every other change: each method records its
/// event only while what it tells still holds for the account, and the routing in Application turns it into an
/// e-mail written in the same transaction. Nothing Keycloak or Lago see changes here.
/// </summary>
public sealed partial class BillingAccount
{
    /// <summary>
    /// A payment attempt failed: told while its invoice is the open one and is not waiting on 3-D Secure (that notice
    /// says more), nor a first debit (the debit's own notice says it).
    /// </summary>
    public bool NotePaymentFailed(string invoiceId, string occasion, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(invoiceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(occasion);
        if (OpenInvoice?.InvoiceId != invoiceId || AuthenticationInvoiceId == invoiceId || AwaitsFirstPayment || (StripeSubscriptionId is { } subscription && EndedByFailedDebit(subscription)))
        {
            return false;
        }

        Tell(new PaymentAttemptFailed(UserId, now, invoiceId, occasion));
        return true;
    }

    /// <summary>The bank asks for 3-D Secure: told while the invoice is still the open one.</summary>
    public bool NoteAuthenticationRequested(string invoiceId, string occasion, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(invoiceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(occasion);
        if (OpenInvoice?.InvoiceId != invoiceId)
        {
            return false;
        }

        Tell(new PaymentAuthenticationRequested(UserId, now, invoiceId, occasion));
        return true;
    }

    /// <summary>The trial ends soon: told while the account is still on it.</summary>
    public bool NoteTrialEnding(string occasion, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(occasion);
        if (Status != SubscriptionStatus.Trialing)
        {
            return false;
        }

        Tell(new TrialEndingSoon(UserId, now, occasion));
        return true;
    }

    /// <summary>A new card was saved as the default: told when the account is this customer's.</summary>
    public bool NotePaymentMethodReplaced(string occasion, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(occasion);
        if (StripeCustomerId is null)
        {
            return false;
        }

        Tell(new PaymentMethodReplaced(UserId, now, occasion));
        return true;
    }

    /// <summary>A dispute of one of this account's payments was filed (of an invoice, or of a charge of none); the operator is told once per dispute.</summary>
    public void NoteDisputeFiled(string disputeId, string? invoiceId, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(disputeId);
        Tell(new DisputeFiled(UserId, now, disputeId, invoiceId));
    }

    /// <summary>A notice is no change of the account's state: it does not move <see cref="UpdatedAt"/>.</summary>
    private void Tell(AccountEvent notice) => _events.Add(notice);
}
