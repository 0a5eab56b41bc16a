using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Microsoft.Extensions.Options;

namespace Billing.Application.Catalog.Publish;

/// <summary>
/// Makes the customer portal offer what the API offers: switching between exactly the catalog's current prices (one
/// product per tier), with the API's proration, downgrades scheduled for the period's end when
/// <see cref="BillingOptions.Downgrades"/> says so, cancellation at the period's end with the configured reasons, card
/// update and invoice history, and the business's links (<see cref="PortalSettings"/>). The configuration is this
/// service's own (found again by its metadata); a second run changes nothing.
/// </summary>
public sealed class PortalConfigurationPublisher(PlanCatalog catalog, ICatalogGateway prices, IPortalConfigurationGateway portal, IOptions<BillingOptions> options)
{
    public async Task<Result<IReadOnlyList<CatalogChange>>> PublishAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var found = await prices.FindPricesByLookupKeysAsync(catalog.AllPrices.Select(p => p.LookupKey).ToList(), cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var wanted = Wanted(found.Value);
        var current = await portal.FindManagedAsync(cancellationToken);
        if (!current.IsSuccess)
        {
            return current.Error!;
        }

        if (current.Value is null)
        {
            var change = new CatalogChange("create portal configuration", "billing_portal", Summary(wanted));
            if (!dryRun && await portal.CreateAsync(wanted, "billing-portal-configuration", cancellationToken) is { IsSuccess: false } failed)
            {
                return failed.Error!;
            }

            return new List<CatalogChange> { change };
        }

        var differences = wanted.DifferencesFrom(current.Value);
        if (differences.Count == 0)
        {
            return new List<CatalogChange>();
        }

        if (!dryRun && await portal.UpdateAsync(wanted with { Id = current.Value.Id }, cancellationToken) is { IsSuccess: false } updateFailed)
        {
            return updateFailed.Error!;
        }

        return new List<CatalogChange> { new("update portal configuration", current.Value.Id, string.Join("; ", differences)) };
    }

    /// <summary>The configuration the catalog and settings ask for; a price not in Stripe yet (a dry run) shows by its lookup key.</summary>
    private PortalConfiguration Wanted(IReadOnlyList<GatewayPrice> inStripe)
    {
        var settings = options.Value;
        var products = catalog.Tiers
            .Where(t => t.Prices.Count > 0)
            .Select(t => new PortalProduct(
                catalog.ProductId(t.Tier),
                t.Prices.Select(p => inStripe.FirstOrDefault(s => s.LookupKey == p.LookupKey && s.Active)?.Id ?? $"(new {p.LookupKey})").ToList()))
            .ToList();
        var reasons = settings.Portal.CancellationReasons.Count > 0 ? settings.Portal.CancellationReasons : PortalSettings.StripeCancellationReasons;
        return new PortalConfiguration(
            string.Empty,
            settings.Portal.Headline,
            settings.Portal.PrivacyPolicyUrl,
            settings.Portal.TermsOfServiceUrl,
            settings.PortalReturnUrl,
            products,
            settings.ProrationBehavior,
            settings.SchedulesDowngrades,
            reasons.ToList());
    }

    private static string Summary(PortalConfiguration wanted) =>
        $"{wanted.Products.Sum(p => p.PriceIds.Count)} prices of {wanted.Products.Count} products, proration {wanted.ProrationBehavior}, downgrades {(wanted.DowngradesAtPeriodEnd ? "at the period end" : "now")}, cancellation at the period end";
}
