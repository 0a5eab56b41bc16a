namespace Billing.Api.Contracts;

/// <summary>A new number of seats for the organization's subscription.</summary>
/// <param name="Seats">At least the organization's member count, within the tier's bounds.</param>
public sealed record SeatsRequest(int? Seats);
