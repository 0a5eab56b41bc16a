using System.Globalization;
using System.Text.RegularExpressions;

namespace Billing.Application.Catalog;

/// <summary>
/// One thing a tier entitles to: a whole number (<see cref="Limit"/>: seats, API calls a month) or a switch
/// (<see cref="Enabled"/>: single sign-on). <see cref="Value"/> is the one that is set, as JSON carries it.
/// </summary>
public sealed partial record Entitlement(string Key, long? Limit, bool? Enabled)
{
    /// <summary>The longest key: Stripe's feature lookup key is at most 80 characters and carries the value too.</summary>
    public const int MaxKeyLength = 40;

    public object Value => Limit is { } limit ? limit : Enabled!.Value;

    /// <summary>The value as configured and as Stripe's feature metadata carries it: the number, or true/false.</summary>
    public string ValueText => Limit is { } limit ? limit.ToString(CultureInfo.InvariantCulture) : Enabled!.Value ? "true" : "false";

    /// <summary>Reads a configured entitlement; null when the key or the value is not one (the caller says where).</summary>
    public static Entitlement? Parse(string key, string? value)
    {
        if (!KeyPattern().IsMatch(key) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (bool.TryParse(value.Trim(), out var enabled))
        {
            return new Entitlement(key, null, enabled);
        }

        return long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? new Entitlement(key, limit, null) : null;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex KeyPattern();
}
