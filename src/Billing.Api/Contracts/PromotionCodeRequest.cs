namespace Billing.Api.Contracts;

/// <summary>A promotion code to put on the caller's subscription.</summary>
/// <param name="Code">The code as the user typed it (case-insensitive).</param>
public sealed record PromotionCodeRequest(string? Code);
