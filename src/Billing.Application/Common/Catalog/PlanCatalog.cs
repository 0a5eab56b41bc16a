using Billing.Domain.Plans;

namespace Billing.Application.Common.Catalog;

/// <summary>Read-only view of the configured plan catalog.</summary>
public sealed class PlanCatalog
{
    private readonly Dictionary<string, CatalogPrice> _byLookupKey;

    public PlanCatalog(PlanCatalogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Currency = options.Currency.ToLowerInvariant();
        ProductIdPrefix = options.ProductIdPrefix;
        var tiers = new List<CatalogTier>();
        foreach (var (code, definition) in options.Tiers)
        {
            if (!PlanCodes.TryParseTier(code, out var tier))
            {
                throw new ArgumentException($"Billing:Catalog:Tiers has an unknown tier '{code}'.", nameof(options));
            }

            var prices = new List<CatalogPrice>();
            foreach (var (cycleCode, amount) in definition.Prices)
            {
                if (!PlanCodes.TryParseCycle(cycleCode, out var cycle))
                {
                    throw new ArgumentException($"Billing:Catalog:Tiers:{code}:Prices has an unknown billing cycle '{cycleCode}'.", nameof(options));
                }

                if (amount <= 0)
                {
                    throw new ArgumentException($"Billing:Catalog:Tiers:{code}:Prices:{cycleCode} must be a positive amount in minor units.", nameof(options));
                }

                prices.Add(new CatalogPrice(tier, cycle, PlanCodes.LookupKey(tier, cycle), amount, Currency));
            }

            tiers.Add(new CatalogTier(tier, string.IsNullOrWhiteSpace(definition.Name) ? tier.ToString() : definition.Name, definition.Description, definition.Features, prices.OrderBy(p => p.Cycle).ToList()));
        }

        if (tiers.Count == 0 || tiers.All(t => t.Prices.Count == 0))
        {
            throw new ArgumentException("Billing:Catalog:Tiers is empty: the plan catalog needs at least one tier with a price (see appsettings.json).", nameof(options));
        }

        Tiers = tiers.OrderBy(t => t.Tier).ToList();
        _byLookupKey = Tiers.SelectMany(t => t.Prices).ToDictionary(p => p.LookupKey, StringComparer.Ordinal);
    }

    public string Currency { get; }

    public string ProductIdPrefix { get; }

    public IReadOnlyList<CatalogTier> Tiers { get; }

    public IEnumerable<CatalogPrice> AllPrices => _byLookupKey.Values;

    public CatalogPrice? Find(Tier tier, BillingCycle cycle) => _byLookupKey.GetValueOrDefault(PlanCodes.LookupKey(tier, cycle));

    public CatalogPrice? FindByLookupKey(string? lookupKey) => lookupKey is null ? null : _byLookupKey.GetValueOrDefault(lookupKey);

    public string ProductId(Tier tier) => ProductIdPrefix + tier.Code();
}
