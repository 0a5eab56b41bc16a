namespace Billing.Application.Common;

/// <summary>How Stripe Checkout is opened (section <c>Billing:Checkout</c>).</summary>
public sealed class CheckoutSettings
{
    /// <summary>Show a promotion code field on Stripe's page when the request names no code itself.</summary>
    public bool AllowPromotionCodes { get; set; }
}
