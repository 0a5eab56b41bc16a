namespace Billing.Api.Contracts;

/// <summary>The plan to check out.</summary>
/// <param name="TierId">trial, starter, professional or enterprise.</param>
/// <param name="BillingCycle">monthly or yearly.</param>
/// <param name="PromotionCode">Optional: a promotion code, checked against Stripe before the session opens.</param>
/// <param name="Currency">Optional: the currency to pay in (see <c>currencies</c> of GET /plans); by default the account's billing currency, else the catalog's.</param>
public sealed record CheckoutRequest(string? TierId, string? BillingCycle, string? PromotionCode = null, string? Currency = null);
