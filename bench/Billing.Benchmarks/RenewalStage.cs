using System.Globalization;
using Billing.Sandbox.Keycloak;
using Billing.Sandbox.Lago;
using Billing.Sandbox.Stripe;

namespace Billing.Benchmarks;

/// <summary>
/// What both renewal-day runs stand on: the three stand-ins, a starter price in Stripe, and the API (Release) on the
/// given database, pacing itself at <c>budget</c> requests a second.
/// </summary>
internal sealed class RenewalStage : IAsyncDisposable
{
    public const string Secret = "whsec_bench";

    private RenewalStage(StripeStandIn stripe, KeycloakStandIn keycloak, LagoStandIn lago)
    {
        Stripe = stripe;
        Keycloak = keycloak;
        Lago = lago;
    }

    public StripeStandIn Stripe { get; }

    public KeycloakStandIn Keycloak { get; }

    public LagoStandIn Lago { get; }

    public ApiProcess Api { get; private set; } = null!;

    public static async Task<RenewalStage> StartAsync(string connection, double budget)
    {
        var stage = new RenewalStage(new StripeStandIn(), new KeycloakStandIn(), new LagoStandIn());
        await stage.Stripe.StartAsync();
        await stage.Keycloak.StartAsync();
        await stage.Lago.StartAsync();
        stage.Keycloak.AddClient("billing-service", "secret", KeycloakStandIn.ManageUsersRole);
        stage.Keycloak.Profile.SetUnmanagedAttributePolicy("ENABLED");
        var sdk = new global::Stripe.StripeClient(apiKey: stage.Stripe.ApiKey, apiBase: stage.Stripe.BaseUrl.AbsoluteUri.TrimEnd('/'));
        await new global::Stripe.ProductService(sdk).CreateAsync(new global::Stripe.ProductCreateOptions { Id = "billing_starter", Name = "starter" });
        await new global::Stripe.PriceService(sdk).CreateAsync(new global::Stripe.PriceCreateOptions { Product = "billing_starter", UnitAmount = 1900, Currency = "usd", LookupKey = "starter_monthly", Recurring = new global::Stripe.PriceRecurringOptions { Interval = "month" } });
        var settings = ApiProcess.StandInSettings(connection, stage.Stripe, stage.Keycloak, stage.Lago, Secret);
        settings["Billing:Stripe:RequestsPerSecond"] = budget.ToString(CultureInfo.InvariantCulture);
        stage.Api = await ApiProcess.StartAsync(settings);
        return stage;
    }

    public async ValueTask DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        await Stripe.DisposeAsync();
        await Keycloak.DisposeAsync();
        await Lago.DisposeAsync();
    }
}
