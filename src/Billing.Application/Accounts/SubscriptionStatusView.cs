using Billing.Application.Common;
using Billing.Domain.Accounts;

namespace Billing.Application.Accounts;

/// <summary>
/// What the SPA shows of a user's subscription. <see cref="OnFreeTrial"/> is Stripe's free trial (status
/// <c>trialing</c>, until <see cref="TrialEnd"/>); the catalog's <c>trial</c> tier is a paid tier like the others.
/// <see cref="Amount"/> is the price per cycle as the catalog sets it; the tax Stripe charged shows apart, on the
/// latest invoice (<see cref="LatestInvoiceTax"/>, part of <see cref="LatestInvoiceTotal"/>). <see cref="Seats"/> is
/// how many seats the subscription bills for (an organization's; a user's is 1), <see cref="Amount"/> all of them.
/// <see cref="ScheduledChange"/> is the change of plan Stripe will make at the end of the period, if one is scheduled;
/// <see cref="CreditBalance"/> the credit on the customer's balance that the next invoice will have taken off;
/// <see cref="PaymentProcessing"/> says a payment by bank debit is on its way (not failed: the bank has not answered).
/// </summary>
public sealed record SubscriptionStatusView(
    string TierId,
    string Status,
    string? BillingCycle,
    string? SubscriptionId,
    DateTimeOffset? CurrentPeriodStart,
    DateTimeOffset? CurrentPeriodEnd,
    bool CancelAtPeriodEnd,
    long? Amount,
    string? Currency,
    string AccessTier,
    DateTimeOffset? PastDueSince,
    PaymentActionView? Action,
    bool OnFreeTrial,
    DateTimeOffset? TrialEnd,
    IReadOnlyList<DiscountView> Discounts,
    long? AmountAfterDiscount,
    long? LatestInvoiceTotal = null,
    long? LatestInvoiceTax = null,
    int? Seats = null,
    ScheduledChangeView? ScheduledChange = null,
    long CreditBalance = 0,
    bool PaymentProcessing = false)
{
    public static SubscriptionStatusView Of(BillingAccount account, DateTimeOffset now, BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(options);
        return Of(
            AccountProjection.Of(account, now, options),
            PaymentActionView.Of(account.PendingAction(options.PastDueGracePeriod), options),
            account.Status == Domain.Plans.SubscriptionStatus.Trialing,
            account.TrialEnd,
            DiscountView.Of(account.Discount),
            account.AmountAfterDiscount) with
        {
            LatestInvoiceTotal = account.LatestInvoiceTotal,
            LatestInvoiceTax = account.LatestInvoiceTax,
            Seats = account.Seats,
            ScheduledChange = ScheduledChangeView.Of(account.ScheduledChange),
            CreditBalance = account.CreditAvailable,
            PaymentProcessing = account.PaymentProcessing || account.AwaitsFirstPayment,
        };
    }

    private static SubscriptionStatusView Of(AccountProjection account, PaymentActionView? action, bool onFreeTrial, DateTimeOffset? trialEnd, IReadOnlyList<DiscountView> discounts, long? amountAfterDiscount)
    {
        return new SubscriptionStatusView(
            account.Tier,
            account.Status,
            account.BillingCycle,
            account.StripeSubscriptionId,
            account.CurrentPeriodStart,
            account.CurrentPeriodEnd,
            account.CancelAtPeriodEnd,
            account.Amount,
            account.Currency,
            account.AccessTier,
            account.PastDueSince,
            action,
            onFreeTrial,
            trialEnd,
            discounts,
            amountAfterDiscount);
    }
}
