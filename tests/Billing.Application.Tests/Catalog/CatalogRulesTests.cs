using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Catalog;
using Billing.Application.Ports;
using Billing.Domain.Plans;

namespace Billing.Application.Tests.Catalog;

/// <summary>How the catalog is read, and how a Stripe subscription is read in its terms.</summary>
public sealed class CatalogRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static GatewaySubscription OnPrice(string? lookupKey, string productId, string? tier, BillingCycle? interval) =>
        new("sub_1", "cus_1", "active", Now, "si_1", "price_old", lookupKey, productId, tier, interval, null, 1900, "usd", Now, Now.AddMonths(1), false, new Dictionary<string, string>());

    [Test]
    public void An_empty_catalog_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<InvalidSettingException>(() => new PlanCatalog(new PlanCatalogOptions()));

        Assert.That(error!.Message, Does.Contain("Billing:Catalog:Tiers"));
    }

    [Test]
    public void A_superseded_price_with_no_lookup_key_is_read_by_its_tier_metadata()
    {
        var snapshot = new SubscriptionTranslator(TestCatalog.Create()).Translate(OnPrice(null, "prod_elsewhere", "professional", BillingCycle.Yearly));

        Assert.That(snapshot.Value.Tier, Is.EqualTo(Tier.Professional));
        Assert.That(snapshot.Value.Cycle, Is.EqualTo(BillingCycle.Yearly));
    }

    [Test]
    public void A_superseded_price_without_metadata_is_read_by_the_product_the_catalog_owns()
    {
        var snapshot = new SubscriptionTranslator(TestCatalog.Create()).Translate(OnPrice(null, "billing_starter", null, BillingCycle.Monthly));

        Assert.That(snapshot.Value.Tier, Is.EqualTo(Tier.Starter));
        Assert.That(snapshot.Value.Cycle, Is.EqualTo(BillingCycle.Monthly));
    }

    [Test]
    public void Tier_metadata_wins_over_a_lookup_key_that_moved_to_another_tier()
    {
        var snapshot = new SubscriptionTranslator(TestCatalog.Create()).Translate(OnPrice("starter_monthly", "billing_professional", "professional", BillingCycle.Monthly));

        Assert.That(snapshot.Value.Tier, Is.EqualTo(Tier.Professional));
    }

    [Test]
    public void A_catalog_with_an_unknown_tier_is_refused_at_start()
    {
        var error = Assert.Throws<InvalidSettingException>(() => new PlanCatalog(new PlanCatalogOptions
        {
            Tiers = new(StringComparer.OrdinalIgnoreCase) { ["gold"] = new TierDefinition { Prices = new() { ["monthly"] = 1 } } },
        }));

        Assert.That(error!.Message, Does.Contain("gold"));
    }

    [TestCase("euro", "1700", "three-letter")]
    [TestCase("usd", "1700", "repeats the catalog's currency")]
    [TestCase("eur", "0", "positive amount")]
    public void A_bad_currency_option_is_refused_at_start_naming_the_setting(string currency, string amount, string reason)
    {
        var error = Assert.Throws<InvalidSettingException>(() => new PlanCatalog(new PlanCatalogOptions
        {
            Tiers = new(StringComparer.OrdinalIgnoreCase)
            {
                ["starter"] = new TierDefinition
                {
                    Prices = new() { ["monthly"] = 1900 },
                    CurrencyOptions = new(StringComparer.OrdinalIgnoreCase) { ["monthly"] = new() { [currency] = long.Parse(amount, System.Globalization.CultureInfo.InvariantCulture) } },
                },
            },
        }));

        Assert.That(error!.Message, Does.Contain($"Billing:Catalog:Tiers:starter:CurrencyOptions:monthly:{currency}").And.Contain(reason));
    }

    [Test]
    public void A_currency_option_for_a_cycle_without_a_price_is_refused_and_the_currencies_list_the_default_first()
    {
        var orphan = Assert.Throws<InvalidSettingException>(() => new PlanCatalog(new PlanCatalogOptions
        {
            Tiers = new(StringComparer.OrdinalIgnoreCase)
            {
                ["starter"] = new TierDefinition { Prices = new() { ["monthly"] = 1900 }, CurrencyOptions = new(StringComparer.OrdinalIgnoreCase) { ["yearly"] = new() { ["eur"] = 17000 } } },
            },
        }));
        var catalog = new PlanCatalog(new PlanCatalogOptions
        {
            Tiers = new(StringComparer.OrdinalIgnoreCase)
            {
                ["starter"] = new TierDefinition { Prices = new() { ["monthly"] = 1900 }, CurrencyOptions = new(StringComparer.OrdinalIgnoreCase) { ["monthly"] = new() { ["GBP"] = 1500, ["eur"] = 1700 } } },
            },
        });

        Assert.That(orphan!.Message, Does.Contain("CurrencyOptions:yearly"));
        Assert.That(catalog.Currencies, Is.EqualTo(new[] { "usd", "eur", "gbp" }));
        Assert.That(catalog.Find(Tier.Starter, BillingCycle.Monthly)!.AmountIn("GBP"), Is.EqualTo(1500));
        Assert.That(catalog.ChooseCurrency("JPY").IsSuccess, Is.False);
    }
}
