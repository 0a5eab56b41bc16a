namespace Billing.Api.Contracts;

/// <summary>The tier and cycle to move to.</summary>
/// <param name="NewTierId">trial, starter, professional or enterprise.</param>
/// <param name="BillingCycle">monthly or yearly.</param>
public sealed record ChangeTierRequest(string? NewTierId, string? BillingCycle);
