namespace Billing.Api.Contracts;

/// <summary>How many days to move the end of a free trial by.</summary>
/// <param name="Days">1 to Billing:Trials:MaxExtensionDays (30 by default).</param>
public sealed record ExtendTrialRequest(int Days);
