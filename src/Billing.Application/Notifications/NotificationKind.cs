using Billing.Application.Common;
namespace Billing.Application.Notifications;

/// <summary>What the user is told by e-mail; each kind has a plain-text and an HTML template.</summary>
public enum NotificationKind
{
    PaymentFailed,
    AuthenticationRequired,
    TrialEnding,
    SubscriptionCanceled,
    SubscriptionEnding,
    PaymentMethodUpdated,

    /// <summary>A downgrade waits for the end of the period: what the plan becomes, and when.</summary>
    PlanChangeScheduled,

    /// <summary>The bank debit of a subscription's first payment failed: the subscription did not start; subscribe again.</summary>
    BankDebitFailed,

    /// <summary>To the operator (Billing:Disputes:NotifyEmail), not the user: a payment is disputed.</summary>
    DisputeOpened,
}
