namespace Billing.Api.Contracts;

/// <summary>The tier and cycle to move to.</summary>
/// <param name="NewTierId">trial, starter, professional or enterprise.</param>
/// <param name="BillingCycle">monthly or yearly.</param>
/// <param name="KeepCancellation">When a cancellation is scheduled for the period end: keep it (default true), or false to lift it with this change.</param>
public sealed record ChangeTierRequest(string? NewTierId, string? BillingCycle, bool? KeepCancellation = null);
