namespace Billing.Api.Contracts;

/// <summary>The plan an organization checks out, and for how many seats.</summary>
/// <param name="TierId">trial, starter, professional or enterprise.</param>
/// <param name="BillingCycle">monthly or yearly.</param>
/// <param name="Seats">Optional: how many seats to bill for; by default the organization's member count. Never fewer than its members, and within the tier's bounds.</param>
/// <param name="PromotionCode">Optional: a promotion code, checked against Stripe before the session opens.</param>
/// <param name="Currency">Optional: the currency to pay in (see <c>currencies</c> of GET /plans).</param>
/// <param name="PaymentMethodTypes">Optional: the ways to pay to offer, among those the service offers (<c>Billing__Checkout__PaymentMethodTypes</c>): <c>card</c>, <c>sepa_debit</c> (EUR only), <c>us_bank_account</c> (USD only), <c>bacs_debit</c> (GBP only). By default every offered one that takes the checkout's currency.</param>
public sealed record OrganizationCheckoutRequest(string? TierId, string? BillingCycle, int? Seats = null, string? PromotionCode = null, string? Currency = null, IReadOnlyList<string>? PaymentMethodTypes = null);
