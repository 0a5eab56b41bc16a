namespace Billing.Domain.Accounts;

/// <summary>What a customer must do for a payment to go through.</summary>
public enum PaymentActionKind
{
    /// <summary>An invoice awaits 3-D Secure (Stripe sent <c>invoice.payment_action_required</c>).</summary>
    AuthenticatePayment,

    /// <summary>An invoice is open on a past-due, unpaid or incomplete subscription: pay it on its hosted page.</summary>
    PayInvoice,

    /// <summary>Stripe holds no usable card (a trial ended without one, so the subscription is paused).</summary>
    UpdatePaymentMethod,
}
