using Billing.Domain.Accounts;
using Billing.Application.Common;
using Billing.Domain.Plans;

using Billing.Application.Common.Results;

namespace Billing.Application.Catalog;

/// <summary>Read-only view of the configured plan catalog.</summary>
public sealed partial class PlanCatalog
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
                throw new InvalidSettingException($"Billing:Catalog:Tiers:{code}", "names an unknown tier; use trial, starter, professional or enterprise");
            }

            var prices = new List<CatalogPrice>();
            foreach (var (cycleCode, amount) in definition.Prices)
            {
                if (!PlanCodes.TryParseCycle(cycleCode, out var cycle))
                {
                    throw new InvalidSettingException($"Billing:Catalog:Tiers:{code}:Prices:{cycleCode}", "names an unknown billing cycle; use monthly or yearly");
                }

                if (amount <= 0)
                {
                    throw new InvalidSettingException($"Billing:Catalog:Tiers:{code}:Prices:{cycleCode}", "must be a positive amount in minor units");
                }

                prices.Add(new CatalogPrice(tier, cycle, PlanCodes.LookupKey(tier, cycle), amount, Currency, CurrencyOptionsOf(code, cycleCode, definition)));
            }

            foreach (var cycleCode in definition.CurrencyOptions.Keys.Where(c => !definition.Prices.ContainsKey(c)))
            {
                throw new InvalidSettingException($"Billing:Catalog:Tiers:{code}:CurrencyOptions:{cycleCode}", "has no price in the catalog's currency under Prices; currency options add currencies to an existing price");
            }

            if (definition.TrialDays is < 0 or > MaxTrialDays)
            {
                throw new InvalidSettingException($"Billing:Catalog:Tiers:{code}:TrialDays", $"must be between 0 and {MaxTrialDays} (Stripe's longest trial)");
            }

            if (definition.MinSeats is < 1 || (definition.MaxSeats is { } most && most < (definition.MinSeats ?? 1)))
            {
                throw new InvalidSettingException($"Billing:Catalog:Tiers:{code}:MinSeats", "must be at least 1, and MaxSeats at least MinSeats");
            }

            tiers.Add(new CatalogTier(tier, string.IsNullOrWhiteSpace(definition.Name) ? tier.ToString() : definition.Name, definition.Description, definition.Highlights, prices.OrderBy(p => p.Cycle).ToList(), definition.TrialDays, definition.MinSeats ?? 1, definition.MaxSeats)
            {
                Entitlements = EntitlementsOf(code, definition),
            });
        }

        if (tiers.Count == 0 || tiers.All(t => t.Prices.Count == 0))
        {
            throw new InvalidSettingException("Billing:Catalog:Tiers", "is empty: the plan catalog needs at least one tier with a price (see appsettings.json)");
        }

        Tiers = tiers.OrderBy(t => t.Tier).ToList();
        Currencies = Tiers.SelectMany(t => t.Prices).SelectMany(p => p.Currencies).Distinct(StringComparer.Ordinal).OrderBy(c => c == Currency ? 0 : 1).ThenBy(c => c, StringComparer.Ordinal).ToList();

        _byLookupKey = Tiers.SelectMany(t => t.Prices).ToDictionary(p => p.LookupKey, StringComparer.Ordinal);
        Coupons = options.Coupons.Select(c => CouponOf(c.Key, c.Value)).ToList();
        var codes = Coupons.SelectMany(c => c.PromotionCodes).GroupBy(p => p.Code, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (codes is not null)
        {
            throw new InvalidSettingException("Billing:Catalog:Coupons", $"declares the promotion code {codes.Key} twice; a code names one coupon");
        }
    }

    /// <summary>Stripe's longest trial (<c>trial_period_days</c>).</summary>
    public const int MaxTrialDays = 730;

    /// <summary>The default currency: prices are created in it, and a user who names none pays in it.</summary>
    public string Currency { get; }

    /// <summary>Every currency some price is sold in, the default first.</summary>
    public IReadOnlyList<string> Currencies { get; }

    public CatalogTier? FindTier(Tier tier) => Tiers.FirstOrDefault(t => t.Tier == tier);

    public string ProductIdPrefix { get; }

    public IReadOnlyList<CatalogTier> Tiers { get; }

    public IReadOnlyList<CatalogCoupon> Coupons { get; }

    public IEnumerable<CatalogPrice> AllPrices => _byLookupKey.Values;

    public CatalogPrice? Find(Tier tier, BillingCycle cycle) => _byLookupKey.GetValueOrDefault(PlanCodes.LookupKey(tier, cycle));

    public CatalogPrice? FindByLookupKey(string? lookupKey) => lookupKey is null ? null : _byLookupKey.GetValueOrDefault(lookupKey);

    public string ProductId(Tier tier) => ProductIdPrefix + tier.Code();

    /// <summary>The tier whose product this is, if the catalog owns it.</summary>
    public Tier? TierOfProduct(string productId) => Tiers.FirstOrDefault(t => ProductId(t.Tier) == productId)?.Tier;

    private Dictionary<string, long> CurrencyOptionsOf(string tierCode, string cycleCode, TierDefinition definition)
    {
        var options = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!definition.CurrencyOptions.TryGetValue(cycleCode, out var byCurrency))
        {
            return options;
        }

        foreach (var (currency, amount) in byCurrency)
        {
            var path = $"Billing:Catalog:Tiers:{tierCode}:CurrencyOptions:{cycleCode}:{currency}";
            if (!CurrencyCodes().IsMatch(currency))
            {
                throw new InvalidSettingException(path, "must name a three-letter ISO currency code such as eur");
            }

            if (string.Equals(currency, Currency, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidSettingException(path, $"repeats the catalog's currency ({Currency}), which Prices already gives");
            }

            if (amount <= 0)
            {
                throw new InvalidSettingException(path, "must be a positive amount in minor units");
            }

            options[currency.ToLowerInvariant()] = amount;
        }

        return options;
    }

    /// <summary>
    /// Reads a currency a user asked for: known to the catalog (any price), lower-cased. Whether the chosen price
    /// is sold in it is the caller's question.
    /// </summary>
    public Result<string> ChooseCurrency(string? currency)
    {
        if (currency is null)
        {
            return Currency;
        }

        var code = currency.Trim().ToLowerInvariant();
        return CurrencyCodes().IsMatch(code) && Currencies.Contains(code)
            ? code
            : Error.Invalid("currency", "unknown_currency", $"Unknown currency '{currency}'. This catalog sells in: {string.Join(", ", Currencies)}.");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\A[A-Za-z]{3}\z")]
    private static partial System.Text.RegularExpressions.Regex CurrencyCodes();

    private CatalogCoupon CouponOf(string id, CouponDefinition definition)
    {
        var path = $"Billing:Catalog:Coupons:{id}";
        if (!CouponIds().IsMatch(id))
        {
            throw new InvalidSettingException(path, "needs an id of 1 to 50 letters, digits, '-' or '_'");
        }

        if ((definition.PercentOff is null) == (definition.AmountOff is null))
        {
            throw new InvalidSettingException(path, "needs exactly one of PercentOff and AmountOff");
        }

        if (definition.PercentOff is { } percent && (percent <= 0 || percent > 100 || decimal.Round(percent, 2) != percent))
        {
            throw new InvalidSettingException($"{path}:PercentOff", "must be above 0 and at most 100, with at most two decimals");
        }

        if (definition.AmountOff is <= 0)
        {
            throw new InvalidSettingException($"{path}:AmountOff", "must be a positive amount in minor units");
        }

        if (!DiscountDurationCodes.TryParse(definition.Duration, out var duration) || (duration == DiscountDuration.Repeating) != (definition.DurationInMonths is not null) || definition.DurationInMonths is <= 0)
        {
            throw new InvalidSettingException($"{path}:Duration", "must be once, forever, or repeating with a positive DurationInMonths");
        }

        var tiers = new List<Tier>();
        foreach (var code in definition.AppliesTo)
        {
            if (!PlanCodes.TryParseTier(code, out var tier) || Find(tier, BillingCycle.Monthly) is null && Find(tier, BillingCycle.Yearly) is null)
            {
                throw new InvalidSettingException($"{path}:AppliesTo", $"names {code}, which is not a tier of the catalog");
            }

            tiers.Add(tier);
        }

        var promotionCodes = new List<CatalogPromotionCode>();
        foreach (var (code, promotion) in definition.PromotionCodes)
        {
            if (!PromotionCodes().IsMatch(code))
            {
                throw new InvalidSettingException($"{path}:PromotionCodes:{code}", "must be 3 to 50 letters or digits");
            }

            if (promotion.MaxRedemptions is <= 0)
            {
                throw new InvalidSettingException($"{path}:PromotionCodes:{code}:MaxRedemptions", "must be positive");
            }

            promotionCodes.Add(new CatalogPromotionCode(code.ToUpperInvariant(), promotion.MaxRedemptions, promotion.ExpiresAt, promotion.Active));
        }

        return new CatalogCoupon(id, string.IsNullOrWhiteSpace(definition.Name) ? id : definition.Name, definition.PercentOff, definition.AmountOff, Currency, duration, definition.DurationInMonths, tiers, promotionCodes);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\A[A-Za-z0-9_-]{1,50}\z")]
    private static partial System.Text.RegularExpressions.Regex CouponIds();

    [System.Text.RegularExpressions.GeneratedRegex(@"\A[A-Za-z0-9]{3,50}\z")]
    private static partial System.Text.RegularExpressions.Regex PromotionCodes();

    /// <summary>The longest tier or cycle code read from a request.</summary>
    public const int MaxCodeLength = 32;

    /// <summary>
    /// Reads a user's choice of tier and cycle: both given, known, and priced together in this catalog. The one place
    /// a plan choice is parsed; a refusal names the field (<paramref name="tierField"/> or <c>billing_cycle</c>).
    /// </summary>
    public Result<PlanChoice> Choose(string? tier, string? cycle, string tierField)
    {
        if (string.IsNullOrWhiteSpace(tier))
        {
            return Error.Invalid(tierField, "tier_required", $"{tierField} is required.");
        }

        if (tier.Length > MaxCodeLength)
        {
            return Error.Invalid(tierField, "tier_too_long", $"{tierField} must be at most {MaxCodeLength} characters.");
        }

        if (!PlanCodes.TryParseTier(tier, out var parsedTier) || Tiers.All(t => t.Tier != parsedTier))
        {
            return Error.Invalid(tierField, "unknown_tier", $"Unknown tier '{tier}'. Known tiers: {string.Join(", ", Tiers.Select(t => t.Tier.Code()))}.");
        }

        if (string.IsNullOrWhiteSpace(cycle))
        {
            return Error.Invalid("billing_cycle", "billing_cycle_required", "billing_cycle is required.");
        }

        if (cycle.Length > MaxCodeLength)
        {
            return Error.Invalid("billing_cycle", "billing_cycle_too_long", $"billing_cycle must be at most {MaxCodeLength} characters.");
        }

        if (!PlanCodes.TryParseCycle(cycle, out var parsedCycle))
        {
            return Error.Invalid("billing_cycle", "unknown_billing_cycle", $"Unknown billing cycle '{cycle}'. Use monthly or yearly.");
        }

        return Find(parsedTier, parsedCycle) is null
            ? Error.Invalid("billing_cycle", "cycle_not_offered", $"The {parsedTier.Code()} tier has no {parsedCycle.Code()} price.")
            : new PlanChoice(parsedTier, parsedCycle);
    }
}
