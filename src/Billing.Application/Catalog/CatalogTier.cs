using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Catalog;

/// <summary>A tier as sold; <see cref="MinSeats"/> and <see cref="MaxSeats"/> bound an organization's seats on it (1 and none by default).</summary>
public sealed record CatalogTier(Tier Tier, string Name, string? Description, IReadOnlyList<string> Features, IReadOnlyList<CatalogPrice> Prices, int TrialDays = 0, int MinSeats = 1, int? MaxSeats = null);
