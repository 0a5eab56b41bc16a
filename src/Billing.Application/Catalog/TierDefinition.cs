using Billing.Application.Common;
namespace Billing.Application.Catalog;

public sealed class TierDefinition
{
    public string Name { get; set; } = string.Empty;

    public string? Description { get; set; }

    /// <summary>Price in minor units (cents) per billing cycle: <c>monthly</c>, <c>yearly</c>.</summary>
    public Dictionary<string, long> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The same prices in other currencies, by cycle then currency: <c>CurrencyOptions:monthly:eur = 4500</c>. Stripe
    /// keeps them on the one price (<c>currency_options</c>), so a lookup key still names one price.
    /// </summary>
    public Dictionary<string, Dictionary<string, long>> CurrencyOptions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Features { get; set; } = [];

    /// <summary>Days of free trial a first subscription to this tier starts with (Stripe's trial); none when 0.</summary>
    public int TrialDays { get; set; }

    /// <summary>The fewest seats an organization may subscribe this tier with (1 when unset).</summary>
    public int? MinSeats { get; set; }

    /// <summary>The most seats an organization may subscribe this tier with (no bound when unset).</summary>
    public int? MaxSeats { get; set; }
}
