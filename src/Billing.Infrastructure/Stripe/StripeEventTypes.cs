namespace Billing.Infrastructure.Stripe;

/// <summary>The Stripe events this service acts on; anything else is stored as ignored.</summary>
internal static class StripeEventTypes
{
    public const string CheckoutSessionCompleted = "checkout.session.completed";
    public const string CheckoutSessionExpired = "checkout.session.expired";
    public const string CheckoutSessionAsyncPaymentSucceeded = "checkout.session.async_payment_succeeded";
    public const string CheckoutSessionAsyncPaymentFailed = "checkout.session.async_payment_failed";
    public const string SubscriptionCreated = "customer.subscription.created";
    public const string SubscriptionUpdated = "customer.subscription.updated";
    public const string SubscriptionDeleted = "customer.subscription.deleted";
    public const string CustomerDeleted = "customer.deleted";
    public const string PaymentIntentProcessing = "payment_intent.processing";
    public const string CustomerUpdated = "customer.updated";
    public const string SubscriptionTrialWillEnd = "customer.subscription.trial_will_end";
    public const string SubscriptionPaused = "customer.subscription.paused";
    public const string SubscriptionResumed = "customer.subscription.resumed";
    public const string InvoicePaid = "invoice.paid";
    public const string InvoicePaymentFailed = "invoice.payment_failed";
    public const string InvoicePaymentActionRequired = "invoice.payment_action_required";
    public const string InvoiceCreated = "invoice.created";
    public const string InvoiceFinalized = "invoice.finalized";
    public const string InvoiceUpdated = "invoice.updated";
    public const string InvoiceVoided = "invoice.voided";
    public const string InvoiceMarkedUncollectible = "invoice.marked_uncollectible";
    public const string RefundCreated = "refund.created";
    public const string RefundUpdated = "refund.updated";
    public const string ChargeRefunded = "charge.refunded";
    public const string DisputeCreated = "charge.dispute.created";
    public const string DisputeUpdated = "charge.dispute.updated";
    public const string DisputeClosed = "charge.dispute.closed";
    public const string ScheduleCreated = "subscription_schedule.created";
    public const string ScheduleUpdated = "subscription_schedule.updated";
    public const string ScheduleReleased = "subscription_schedule.released";
    public const string ScheduleCanceled = "subscription_schedule.canceled";
    public const string ScheduleCompleted = "subscription_schedule.completed";
    public const string ScheduleAborted = "subscription_schedule.aborted";

    public static readonly IReadOnlySet<string> Handled = new HashSet<string>(StringComparer.Ordinal)
    {
        CheckoutSessionCompleted, CheckoutSessionExpired, CheckoutSessionAsyncPaymentSucceeded, CheckoutSessionAsyncPaymentFailed, PaymentIntentProcessing, CustomerDeleted, CustomerUpdated, SubscriptionCreated, SubscriptionUpdated, SubscriptionDeleted, SubscriptionTrialWillEnd, SubscriptionPaused, SubscriptionResumed,
        InvoicePaid, InvoicePaymentFailed, InvoicePaymentActionRequired,
        InvoiceCreated, InvoiceFinalized, InvoiceUpdated, InvoiceVoided, InvoiceMarkedUncollectible,
        RefundCreated, RefundUpdated, ChargeRefunded,
        DisputeCreated, DisputeUpdated, DisputeClosed,
        ScheduleCreated, ScheduleUpdated, ScheduleReleased, ScheduleCanceled, ScheduleCompleted, ScheduleAborted,
    };
}
