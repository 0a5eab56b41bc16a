namespace Billing.Domain.Accounts;

/// <summary>A discount's duration as the API, the settings and the store spell it: its name in lower case.</summary>
public static class DiscountDurationCodes
{
    public static string Code(this DiscountDuration duration) => duration.ToString().ToLowerInvariant();

    public static bool TryParse(string? code, out DiscountDuration duration) =>
        Enum.TryParse(code?.Trim(), ignoreCase: true, out duration) && !int.TryParse(code, out _) && Enum.IsDefined(duration);

    public static DiscountDuration Parse(string code) =>
        TryParse(code, out var duration) ? duration : throw new FormatException($"'{code}' is no discount duration.");
}
