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

    /// <summary>Team seats over the given directory (and gateway, else one that is never asked).</summary>
    public static Billing.Application.Organizations.TeamSeats TeamSeats(Billing.Application.Ports.IOrganizationDirectory directory, IOptions<BillingOptions> options, Billing.Application.Ports.ISubscriptionGateway? gateway = null) =>
        new(
            gateway ?? new Moq.Mock<Billing.Application.Ports.ISubscriptionGateway>(Moq.MockBehavior.Strict).Object,
            new Billing.Application.Organizations.SeatPolicy(directory, Create(), options),
            new Billing.Application.Accounts.SubscriptionChanges(new Billing.Application.Accounts.SubscriptionTranslator(Create()), TimeProvider.System, options),
            options);
}
