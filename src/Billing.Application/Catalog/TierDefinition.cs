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

    /// <summary>Lines the pricing page shows for the tier ("5 projects", "Email support"); words, not rules.</summary>
    public List<string> Highlights { get; set; } = [];

    /// <summary>
    /// What the tier entitles to, by key: a whole number (<c>seats = 5</c>, <c>api_calls_per_month = 10000</c>) or
    /// <c>true</c>/<c>false</c> (<c>sso = true</c>). Answered by <c>GET /entitlements</c>, written to Keycloak as
    /// <c>billing_entitlements</c> and mirrored as Stripe Entitlements features by <c>catalog sync</c>.
    /// </summary>
    public Dictionary<string, string> Features { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Days of free trial a first subscription to this tier starts with (Stripe's trial); none when 0.</summary>
    public int TrialDays { get; set; }

    /// <summary>The fewest seats an organization may subscribe this tier with (1 when unset).</summary>
    public int? MinSeats { get; set; }

    /// <summary>The most seats an organization may subscribe this tier with (no bound when unset).</summary>
    public int? MaxSeats { get; set; }
}
