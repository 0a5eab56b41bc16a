namespace Billing.Application.Common;

/// <summary>How Stripe Checkout is opened (section <c>Billing:Checkout</c>).</summary>
public sealed class CheckoutSettings
{
    /// <summary>No access while a first payment by bank debit is on its way.</summary>
    public const string NoAccessWhilePending = "none";

    /// <summary>The paid tier's access while a first payment by bank debit is on its way.</summary>
    public const string TierWhilePending = "tier";

    /// <summary>Show a promotion code field on Stripe's page when the request names no code itself.</summary>
    public bool AllowPromotionCodes { get; set; }

    /// <summary>
    /// The ways to pay Checkout offers, comma-separated: <c>card</c> and the bank debits of <see cref="WaysToPay"/>
    /// (<c>card,sepa_debit</c>, say). A checkout offers those that take its currency.
    /// </summary>
    public string PaymentMethodTypes { get; set; } = WaysToPay.Card;

    /// <summary>What a user whose first payment by bank debit is on its way may use: <see cref="NoAccessWhilePending"/> or <see cref="TierWhilePending"/>.</summary>
    public string AccessWhilePending { get; set; } = NoAccessWhilePending;

    /// <summary>The configured ways to pay, in order, without blanks or repeats.</summary>
    public IReadOnlyList<string> Methods =>
        PaymentMethodTypes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(m => m.ToLowerInvariant()).Distinct().ToList();

    /// <summary>Whether a user keeps the paid tier's access while their first debit is on its way.</summary>
    public bool GrantsAccessWhilePending => AccessWhilePending == TierWhilePending;
}
