using Billing.Application.Common;
using Billing.Application.Catalog;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Catalog.Publish;

/// <summary>
/// Creates or updates the configured catalog in Stripe: one product per tier, one price per tier and cycle, each
/// price found again by its lookup key. Prices are immutable in Stripe, so a changed amount makes a new price
/// and moves the lookup key to it. Then the coupons and promotion codes (<see cref="CouponPublisher"/>) and the
/// tiers' entitlements as Stripe features (<see cref="EntitlementPublisher"/>), and last the customer portal's
/// configuration (<see cref="PortalConfigurationPublisher"/>). A second run changes nothing.
/// </summary>
public sealed record PublishCatalog(bool DryRun) : ICommand<Result<CatalogPublicationReport>>;

public sealed record CatalogPublicationReport(bool DryRun, IReadOnlyList<CatalogChange> Changes)
{
    public bool UpToDate => Changes.Count == 0;
}

public sealed record CatalogChange(string Action, string Target, string Detail);

public sealed class PublishCatalogHandler(PlanCatalog catalog, ICatalogGateway gateway, CouponPublisher coupons, EntitlementPublisher entitlements, PortalConfigurationPublisher portal, IOptions<BillingOptions> options) : ICommandHandler<PublishCatalog, Result<CatalogPublicationReport>>
{
    public async ValueTask<Result<CatalogPublicationReport>> Handle(PublishCatalog command, CancellationToken cancellationToken)
    {
        var changes = new List<CatalogChange>();

        // Set once Stripe Tax is on; a price's tax behaviour cannot change in Stripe, so a new one makes a new price.
        var taxBehavior = options.Value.Tax.PriceTaxBehavior;
        var existing = await gateway.FindPricesByLookupKeysAsync(catalog.AllPrices.Select(p => p.LookupKey).ToList(), cancellationToken);
        if (!existing.IsSuccess)
        {
            return existing.Error!;
        }

        foreach (var tier in catalog.Tiers)
        {
            var productId = catalog.ProductId(tier.Tier);
            var wanted = new GatewayProduct(productId, tier.Name, tier.Description, new Dictionary<string, string> { [BillingMetadata.Tier] = tier.Tier.Code(), [BillingMetadata.ManagedBy] = BillingMetadata.ThisService });
            var product = await gateway.FindProductAsync(productId, cancellationToken);
            if (!product.IsSuccess)
            {
                return product.Error!;
            }

            if (product.Value is null || product.Value.Name != wanted.Name || (product.Value.Description ?? string.Empty) != (wanted.Description ?? string.Empty) ||
                wanted.Metadata.Any(m => product.Value.Metadata.GetValueOrDefault(m.Key) != m.Value))
            {
                changes.Add(new CatalogChange(product.Value is null ? "create product" : "update product", productId, tier.Name));
                if (!command.DryRun && await gateway.UpsertProductAsync(wanted, product.Value is not null, cancellationToken) is { IsSuccess: false } failed)
                {
                    return failed.Error!;
                }
            }

            foreach (var price in tier.Prices)
            {
                var current = existing.Value.FirstOrDefault(p => p.LookupKey == price.LookupKey && p.Active);

                // The tier of a subscription is read from these, since the lookup key leaves an old price behind.
                var metadata = new Dictionary<string, string> { [BillingMetadata.Tier] = price.Tier.Code(), [BillingMetadata.BillingCycle] = price.Cycle.Code() };
                if (current is not null && current.UnitAmount == price.UnitAmount && current.Currency == price.Currency && current.Cycle == price.Cycle && current.ProductId == productId &&
                    SameCurrencyOptions(current, price) && (taxBehavior is null || current.TaxBehavior == taxBehavior))
                {
                    if (metadata.All(m => current.Metadata.GetValueOrDefault(m.Key) == m.Value))
                    {
                        continue;
                    }

                    changes.Add(new CatalogChange("tag price", price.LookupKey, $"{current.Id} gets tier {price.Tier.Code()} and billing cycle {price.Cycle.Code()} in its metadata"));
                    if (!command.DryRun && await gateway.UpdatePriceMetadataAsync(current.Id, metadata, cancellationToken) is { IsSuccess: false } untagged)
                    {
                        return untagged.Error!;
                    }

                    continue;
                }

                var wantedPrice = Describe(price.UnitAmount, price.Currency, price.CurrencyOptions, price.Cycle, taxBehavior);
                changes.Add(new CatalogChange(
                    "create price",
                    price.LookupKey,
                    current is null
                        ? wantedPrice
                        : $"{wantedPrice}, replacing {current.Id} ({Describe(current.UnitAmount, current.Currency, current.CurrencyOptions ?? new Dictionary<string, long>(), current.Cycle, current.TaxBehavior)}); the lookup key moves"));
                if (command.DryRun)
                {
                    continue;
                }

                var created = await gateway.CreatePriceAsync(
                    new NewPrice(
                        productId,
                        price.LookupKey,
                        price.UnitAmount,
                        price.Currency,
                        price.Cycle,
                        TransferLookupKey: current is not null,
                        metadata,
                        $"billing-catalog-{price.LookupKey}-{StableHash(wantedPrice)}-{current?.Id ?? "first"}",
                        price.CurrencyOptions,
                        taxBehavior),
                    cancellationToken);
                if (!created.IsSuccess)
                {
                    return created.Error!;
                }
            }
        }

        // Then what stands on the products and prices; last the portal, which offers the prices just published.
        Func<bool, CancellationToken, Task<Result<IReadOnlyList<CatalogChange>>>>[] rest = [coupons.PublishAsync, entitlements.PublishAsync, portal.PublishAsync];
        foreach (var publish in rest)
        {
            var published = await publish(command.DryRun, cancellationToken);
            if (!published.IsSuccess)
            {
                return published.Error!;
            }

            changes.AddRange(published.Value);
        }

        return new CatalogPublicationReport(command.DryRun, changes);
    }

    private static bool SameCurrencyOptions(GatewayPrice current, CatalogPrice price)
    {
        var held = current.CurrencyOptions ?? new Dictionary<string, long>();
        return held.Count == price.CurrencyOptions.Count && price.CurrencyOptions.All(o => held.TryGetValue(o.Key, out var amount) && amount == o.Value);
    }

    /// <summary>The same on every run and machine (unlike string.GetHashCode), so a retried sync reuses its key.</summary>
    private static string StableHash(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];

    private static string Describe(long amount, string currency, IReadOnlyDictionary<string, long> others, BillingCycle? cycle, string? taxBehavior) =>
        string.Join(" / ", new[] { $"{amount} {currency}" }.Concat(others.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Value} {o.Key}")))
        + (cycle switch { BillingCycle.Yearly => " per year", BillingCycle.Monthly => " per month", _ => " per other interval" })
        + (taxBehavior is null ? string.Empty : $", tax {taxBehavior}");
}
