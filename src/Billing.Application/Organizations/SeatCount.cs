namespace Billing.Application.Organizations;

/// <summary>The seats to bill for, the members counted, and the tier's bounds they were held to.</summary>
public sealed record SeatCount(int Seats, int Members, int MinSeats, int? MaxSeats);
