namespace Billing.Api.Contracts;

/// <summary>The plan to check out.</summary>
/// <param name="TierId">trial, starter, professional or enterprise.</param>
/// <param name="BillingCycle">monthly or yearly.</param>
public sealed record CheckoutRequest(string? TierId, string? BillingCycle);
