using Billing.Domain.Accounts.Events;
using Billing.Domain.Invoices;
using Billing.Domain.Plans;

namespace Billing.Domain.Accounts;

/// <summary>
/// Reports of Stripe's events: a subscription's state as its event carried it, ordered by when Stripe created the
/// event (<see cref="ReportOrder"/>), and the latest invoice as the invoice's own events carry it.
/// </summary>
public sealed partial class BillingAccount
{
    /// <summary>
    /// Applies the state of a subscription that an event created at <paramref name="createdAt"/> carried. Newer than
    /// everything applied: applied. Older: changes nothing. Created in the same second as what is applied and saying
    /// something else: <see cref="ReportOutcome.Undecided"/>, and nothing changes until Stripe is asked.
    /// </summary>
    public ReportOutcome ApplyReported(SubscriptionSnapshot snapshot, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.SubscriptionId == StripeSubscriptionId)
        {
            switch (ReportOrder.Judge(createdAt, LastStripeEventAt))
            {
                case ReportAge.Older:
                    return ReportOutcome.Older;
                case ReportAge.SameSecond when !SameSubscriptionState(NextOf(snapshot), Held):
                    return ReportOutcome.Undecided;
            }
        }

        return ApplySubscription(snapshot, createdAt) ? ReportOutcome.Applied : ReportOutcome.Unchanged;
    }

    /// <summary>
    /// Applies a subscription as Stripe answered it at <paramref name="answeredAt"/> (its <c>Date</c>), asked after
    /// everything the account reflects had reached this service: the answer is at least as new as all of it, whatever
    /// the seconds say, so it is dated no earlier than what is applied. Stripe never revives an ended subscription.
    /// </summary>
    public bool ApplyAnswer(SubscriptionSnapshot snapshot, DateTimeOffset answeredAt) =>
        ApplySubscription(snapshot, LastStripeEventAt is { } last && snapshot.SubscriptionId == StripeSubscriptionId && last > answeredAt ? last : answeredAt);

    /// <summary>
    /// An invoice of this account as its own event reported it (after the invoice book took it): when it is the
    /// subscription's latest invoice, what the customer can still pay and the latest totals follow it. An invoice of
    /// the held subscription created no earlier than the latest one known (<paramref name="latestCreatedAt"/>, from the book;
    /// without it, in the current period or later) is the latest now, though the subscription's event that says so
    /// may come later. A change of the open invoice is a change of the subscription's terms (access in the grace
    /// period hangs on it), told like one.
    /// </summary>
    public bool NoteInvoice(BillingInvoice invoice, DateTimeOffset? latestCreatedAt, DateTimeOffset reportedAt)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var latest = invoice.Id == LatestInvoiceId ||
            (invoice.SubscriptionId is not null && invoice.SubscriptionId == StripeSubscriptionId &&
             (LatestInvoiceId is null || (latestCreatedAt is { } known ? invoice.Created >= known : invoice.Created >= (CurrentPeriodStart ?? DateTimeOffset.MinValue))));
        if (!latest || Status.IsTerminal())
        {
            return false;
        }

        LatestInvoiceId = invoice.Id;
        var before = (OpenInvoice, LatestInvoiceTotal, LatestInvoiceTax);
        OpenInvoice = OpenInvoiceOf(invoice);
        SettleProcessingPayment(answered: OpenInvoice is null, reportedAt);

        LatestInvoiceTotal = invoice.Total;
        LatestInvoiceTax = invoice.Tax;
        if (before == (OpenInvoice, LatestInvoiceTotal, LatestInvoiceTax))
        {
            return false;
        }

        // What may be paid, and whether Stripe still retries it, decides access in the grace period: Keycloak follows.
        Record(new SubscriptionTermsUpdated(UserId, reportedAt, StripeSubscriptionId!));
        return true;
    }

    /// <summary>The invoice as something the customer can still pay; null once it is paid, void or a draft.</summary>
    public static OpenInvoice? OpenInvoiceOf(BillingInvoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return invoice.Status == InvoiceStatus.Open ? new OpenInvoice(invoice.Id, invoice.HostedInvoiceUrl, invoice.NextPaymentAttempt, invoice.Created) : null;
    }

    private static bool SameSubscriptionState(SubscriptionFields next, SubscriptionFields held) =>
        next with { OpenInvoice = null, InvoiceTotal = null, InvoiceTax = null } == held with { OpenInvoice = null, InvoiceTotal = null, InvoiceTax = null };

    private SubscriptionFields Held => new(
        StripeCustomerId,
        StripeSubscriptionId,
        Status,
        Tier,
        BillingCycle,
        CurrentPeriodStart,
        CurrentPeriodEnd,
        CancelAtPeriodEnd,
        AmountMinor,
        Currency,
        OpenInvoice,
        TrialEnd,
        Discount,
        LatestInvoiceTotal,
        LatestInvoiceTax,
        LatestInvoiceId,
        Seats,
        StripeScheduleId);

    /// <summary>What the account would hold after <paramref name="snapshot"/>: an ended subscription leaves the user a trial without a plan.</summary>
    private SubscriptionFields NextOf(SubscriptionSnapshot snapshot)
    {
        var terminal = snapshot.Status.IsTerminal();
        return new SubscriptionFields(
            StripeCustomerId ?? snapshot.CustomerId,
            snapshot.SubscriptionId,
            snapshot.Status,
            terminal ? Tier.Trial : snapshot.Tier,
            terminal ? null : snapshot.Cycle,
            snapshot.CurrentPeriodStart,

            // A subscription that ended early ended then, not at the end of the period it had paid for.
            terminal && snapshot.EndedAt is { } ended && (snapshot.CurrentPeriodEnd is null || ended < snapshot.CurrentPeriodEnd) ? ended : snapshot.CurrentPeriodEnd,
            !terminal && snapshot.CancelAtPeriodEnd,
            terminal ? null : snapshot.AmountMinor,
            terminal ? null : snapshot.Currency,
            terminal ? null : snapshot.OpenInvoice,
            terminal ? null : snapshot.TrialEnd,
            terminal ? null : snapshot.Discount,
            terminal ? null : snapshot.LatestInvoiceTotal,
            terminal ? null : snapshot.LatestInvoiceTax,
            terminal ? null : snapshot.LatestInvoiceId,
            terminal ? null : snapshot.Seats ?? (snapshot.SubscriptionId == StripeSubscriptionId ? Seats : null),
            terminal ? null : snapshot.ScheduleId);
    }

    /// <summary>Everything of an account that a report of its subscription sets.</summary>
    private readonly record struct SubscriptionFields(
        string? Customer,
        string? Subscription,
        SubscriptionStatus Status,
        Tier Tier,
        BillingCycle? Cycle,
        DateTimeOffset? CurrentPeriodStart,
        DateTimeOffset? CurrentPeriodEnd,
        bool CancelAtPeriodEnd,
        long? Amount,
        string? Currency,
        OpenInvoice? OpenInvoice,
        DateTimeOffset? TrialEnd,
        AppliedDiscount? Discount,
        long? InvoiceTotal,
        long? InvoiceTax,
        string? LatestInvoiceId,
        int? Seats,
        string? ScheduleId);
}
