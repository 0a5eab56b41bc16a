namespace Billing.Api.Contracts;

/// <summary>Which subscription to cancel, and when.</summary>
/// <param name="SubscriptionId">Optional: the caller's subscription id; any other id is 404.</param>
/// <param name="AtPeriodEnd">Cancel at the end of the paid period (default true), or now.</param>
public sealed record CancelRequest(string? SubscriptionId, bool? AtPeriodEnd);
