using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Catalog;

public sealed record CatalogTier(Tier Tier, string Name, string? Description, IReadOnlyList<string> Features, IReadOnlyList<CatalogPrice> Prices, int TrialDays = 0);
