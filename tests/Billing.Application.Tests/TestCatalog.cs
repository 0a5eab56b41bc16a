using Billing.Application.Common;
using Billing.Application.Catalog;
using Microsoft.Extensions.Options;

namespace Billing.Application.Tests;

internal static class TestCatalog
{
    public static PlanCatalog Create() => new(new PlanCatalogOptions
    {
        Currency = "usd",
        Tiers = new(StringComparer.OrdinalIgnoreCase)
        {
            ["trial"] = new TierDefinition { Name = "Trial", Prices = new() { ["monthly"] = 100 } },
            ["starter"] = new TierDefinition { Name = "Starter", Prices = new() { ["monthly"] = 1900, ["yearly"] = 19000 } },
            ["professional"] = new TierDefinition { Name = "Professional", Prices = new() { ["monthly"] = 4900, ["yearly"] = 49000 } },
        },
    });

    public static IOptions<BillingOptions> Options(string successUrl = "https://app.example/done") =>
        Microsoft.Extensions.Options.Options.Create(new BillingOptions { SuccessUrl = successUrl, CancelUrl = "https://app.example/cancel" });
}
