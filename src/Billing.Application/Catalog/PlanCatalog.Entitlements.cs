using System.Text.Json;
using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Catalog;

/// <summary>What each tier entitles to (<c>Billing:Catalog:Tiers:{tier}:Features:{key}</c>).</summary>
public sealed partial class PlanCatalog
{
    /// <summary>Whether any tier names an entitlement (then Keycloak carries <c>billing_entitlements</c>).</summary>
    public bool HasEntitlements => Tiers.Any(t => t.Entitlements.Count > 0);

    /// <summary>
    /// What the tier that gates access entitles to, by key; a tier the catalog does not sell entitles to nothing. An
    /// unpaid account's access tier is trial, so it gets the trial tier's.
    /// </summary>
    public IReadOnlyDictionary<string, object> EntitlementsOf(Tier accessTier) =>
        (FindTier(accessTier)?.Entitlements ?? []).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    /// <summary>The same as compact JSON, keys in order (what Keycloak's <c>billing_entitlements</c> holds).</summary>
    public string EntitlementsJson(string accessTierCode) =>
        JsonSerializer.Serialize(PlanCodes.TryParseTier(accessTierCode, out var tier) ? EntitlementsOf(tier) : new Dictionary<string, object>());

    private static IReadOnlyList<Entitlement> EntitlementsOf(string tierCode, TierDefinition definition)
    {
        var entitlements = new List<Entitlement>();
        foreach (var (key, value) in definition.Features)
        {
            var path = $"Billing:Catalog:Tiers:{tierCode}:Features:{key}";
            if (key.Length > 0 && key.All(char.IsAsciiDigit))
            {
                throw new InvalidSettingException(path, "is a list entry: Features are now the tier's entitlements (Features:seats = 5, Features:sso = true); move the pricing page's lines to Highlights");
            }

            entitlements.Add(Entitlement.Parse(key, value)
                ?? throw new InvalidSettingException(path, $"must be a whole number or true/false, under a key of lower-case letters, digits and underscores (at most {Entitlement.MaxKeyLength})"));
        }

        return entitlements.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
    }
}
