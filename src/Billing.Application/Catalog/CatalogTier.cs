using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Catalog;

/// <summary>
/// A tier as sold; <see cref="MinSeats"/> and <see cref="MaxSeats"/> bound an organization's seats on it (1 and none by
/// default). <see cref="Highlights"/> are the pricing page's words; <see cref="Entitlements"/> what the tier entitles to.
/// </summary>
public sealed record CatalogTier(Tier Tier, string Name, string? Description, IReadOnlyList<string> Highlights, IReadOnlyList<CatalogPrice> Prices, int TrialDays = 0, int MinSeats = 1, int? MaxSeats = null)
{
    /// <summary>The tier's entitlements by key, in key order (none when the catalog names none).</summary>
    public IReadOnlyList<Entitlement> Entitlements { get; init; } = [];

    /// <summary>Whether the tier is sold with this many seats.</summary>
    public bool Sells(int seats) => seats >= MinSeats && (MaxSeats is not { } most || seats <= most);

    /// <summary>The seats the tier is sold with, in words: "5 to 20", "1 to any number of".</summary>
    public string SeatRange => $"{MinSeats} to {(MaxSeats is { } most ? most.ToString(System.Globalization.CultureInfo.InvariantCulture) : "any number of")}";
}
