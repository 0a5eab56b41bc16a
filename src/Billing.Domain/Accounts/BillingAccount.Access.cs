using Billing.Domain.Plans;

namespace Billing.Domain.Accounts;

/// <summary>What gates access now, and what the customer must do for their subscription to be paid.</summary>
public sealed partial class BillingAccount
{
    /// <summary>
    /// The tier that gates access now. A past-due account keeps its tier during the grace period, and only while
    /// Stripe still retries the payment: once Stripe has given up (the open invoice has no next attempt) nothing
    /// will collect it unless the customer acts, so access ends then. A payment awaiting 3-D Secure is never
    /// retried by Stripe; it keeps the grace period, which is the customer's time to authenticate. While a first
    /// payment by bank debit is on its way, the paid tier gates access only if <paramref name="accessWhilePending"/>;
    /// a past-due account paying by a debit that is processing has not failed yet, and keeps its tier.
    /// </summary>
    public Tier EffectiveTier(DateTimeOffset now, TimeSpan pastDueGrace, bool suspendWhileDisputed = false, bool accessWhilePending = false) => Status switch
    {
        _ when suspendWhileDisputed && DisputedSince is not null => Tier.Trial,
        _ when TierWhilePending(accessWhilePending) is { } pending => pending,
        SubscriptionStatus.Active or SubscriptionStatus.Trialing => Tier,
        SubscriptionStatus.PastDue when PaymentProcessing || (GraceEndsAt(pastDueGrace) is { } ends && now <= ends) => Tier,
        _ => Tier.Trial,
    };

    /// <summary>When a past-due account loses its tier: the end of the grace period, or now if Stripe stopped retrying.</summary>
    public DateTimeOffset? GraceEndsAt(TimeSpan pastDueGrace)
    {
        if (Status != SubscriptionStatus.PastDue || PastDueSince is not { } since)
        {
            return null;
        }

        var retriesEnded = OpenInvoice is { StripeRetries: false } invoice && invoice.InvoiceId != AuthenticationInvoiceId;
        return retriesEnded ? since : since + pastDueGrace;
    }

    /// <summary>
    /// What the customer must do for their subscription to be paid, read from what webhooks stored (no call to
    /// Stripe); null when nothing is asked of them. A paid invoice is no longer open, so paying clears it.
    /// </summary>
    public PaymentAction? PendingAction(TimeSpan pastDueGrace)
    {
        if (Status == SubscriptionStatus.Paused)
        {
            return new PaymentAction(PaymentActionKind.UpdatePaymentMethod, null, null, null);
        }

        // A debit on its way asks nothing of the customer: the bank answers in a few days.
        if (AwaitsFirstPayment || PaymentProcessing || OpenInvoice is not { } invoice || Status is not (SubscriptionStatus.PastDue or SubscriptionStatus.Unpaid or SubscriptionStatus.Incomplete))
        {
            return null;
        }

        var kind = invoice.InvoiceId == AuthenticationInvoiceId ? PaymentActionKind.AuthenticatePayment : PaymentActionKind.PayInvoice;
        var due = Status switch
        {
            SubscriptionStatus.PastDue => GraceEndsAt(pastDueGrace),

            // Stripe expires a first payment left unfinished for 23 hours.
            SubscriptionStatus.Incomplete => invoice.CreatedAt + IncompletePaymentWindow,
            _ => null,
        };
        return new PaymentAction(kind, invoice.InvoiceId, invoice.HostedUrl, due);
    }

    /// <summary>How long Stripe waits on a subscription's first payment before it ends <c>incomplete_expired</c>.</summary>
    public static readonly TimeSpan IncompletePaymentWindow = TimeSpan.FromHours(23);
}
