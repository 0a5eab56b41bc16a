namespace Billing.Application.Ports;

/// <summary>
/// A Stripe customer portal configuration in this service's terms: which prices a customer may switch between (per
/// product), with which proration, whether a downgrade waits for the period's end, cancellation at the period's end
/// with the reasons offered, card and invoice history, and the business's links. <paramref name="Id"/> is empty for
/// one still to be created.
/// </summary>
public sealed record PortalConfiguration(
    string Id,
    string? Headline,
    string? PrivacyPolicyUrl,
    string? TermsOfServiceUrl,
    string ReturnUrl,
    IReadOnlyList<PortalProduct> Products,
    string ProrationBehavior,
    bool DowngradesAtPeriodEnd,
    IReadOnlyList<string> CancellationReasons)
{
    /// <summary>What differs from <paramref name="other"/>, in words (empty when they agree); ids aside.</summary>
    public IReadOnlyList<string> DifferencesFrom(PortalConfiguration other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var differences = new List<string>();
        Compare("headline", Headline, other.Headline);
        Compare("privacy policy", PrivacyPolicyUrl, other.PrivacyPolicyUrl);
        Compare("terms of service", TermsOfServiceUrl, other.TermsOfServiceUrl);
        Compare("return URL", ReturnUrl, other.ReturnUrl);
        Compare("proration", ProrationBehavior, other.ProrationBehavior);
        Compare("downgrades at the period end", DowngradesAtPeriodEnd.ToString(), other.DowngradesAtPeriodEnd.ToString());
        Compare("cancellation reasons", string.Join(",", CancellationReasons.Order(StringComparer.Ordinal)), string.Join(",", other.CancellationReasons.Order(StringComparer.Ordinal)));
        Compare("prices", Describe(Products), Describe(other.Products));
        return differences;

        void Compare(string what, string? mine, string? theirs)
        {
            if (!string.Equals(mine ?? string.Empty, theirs ?? string.Empty, StringComparison.Ordinal))
            {
                differences.Add($"{what}: {Show(theirs)} → {Show(mine)}");
            }
        }
    }

    private static string Show(string? value) => string.IsNullOrEmpty(value) ? "(none)" : value;

    private static string Describe(IReadOnlyList<PortalProduct> products) =>
        string.Join("; ", products.OrderBy(p => p.ProductId, StringComparer.Ordinal).Select(p => $"{p.ProductId}: {string.Join(",", p.PriceIds.Order(StringComparer.Ordinal))}"));
}
