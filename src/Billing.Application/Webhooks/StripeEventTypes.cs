namespace Billing.Application.Webhooks;

/// <summary>The Stripe events this service acts on; anything else is stored as ignored.</summary>
public static class StripeEventTypes
{
    public const string CheckoutSessionCompleted = "checkout.session.completed";
    public const string CheckoutSessionExpired = "checkout.session.expired";
    public const string SubscriptionCreated = "customer.subscription.created";
    public const string SubscriptionUpdated = "customer.subscription.updated";
    public const string SubscriptionDeleted = "customer.subscription.deleted";
    public const string SubscriptionTrialWillEnd = "customer.subscription.trial_will_end";
    public const string SubscriptionPaused = "customer.subscription.paused";
    public const string SubscriptionResumed = "customer.subscription.resumed";
    public const string InvoicePaid = "invoice.paid";
    public const string InvoicePaymentFailed = "invoice.payment_failed";
    public const string InvoicePaymentActionRequired = "invoice.payment_action_required";

    public static readonly IReadOnlySet<string> Handled = new HashSet<string>(StringComparer.Ordinal)
    {
        CheckoutSessionCompleted, CheckoutSessionExpired, SubscriptionCreated, SubscriptionUpdated, SubscriptionDeleted, SubscriptionTrialWillEnd, SubscriptionPaused, SubscriptionResumed,
        InvoicePaid, InvoicePaymentFailed, InvoicePaymentActionRequired,
    };
}
