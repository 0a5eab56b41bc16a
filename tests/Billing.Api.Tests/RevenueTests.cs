using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>Revenue from the store equals a hand computation over a seeded set of subscriptions.</summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class RevenueTests(Database database) : AppFixture(database)
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Billing:Catalog:Tiers:enterprise:TrialDays"] = "14";
        settings["Billing:Trials:RequireCard"] = "false";
        settings["Billing:Catalog:Coupons:launch20:PercentOff"] = "20";
        settings["Billing:Catalog:Coupons:launch20:Duration"] = "forever";
        settings["Billing:Catalog:Coupons:launch20:PromotionCodes:LAUNCH20:Active"] = "true";
        settings["Billing:Catalog:Coupons:once5:AmountOff"] = "500";
        settings["Billing:Catalog:Coupons:once5:Duration"] = "once";
        settings["Billing:Catalog:Coupons:once5:PromotionCodes:ONCE5:Active"] = "true";
    }

    private async Task<string> SubscribeAsync(string tier, string cycle, string? code = null, string card = StripeStandIn.CardSucceeds)
    {
        using var client = App.ClientFor($"u-{Guid.NewGuid():N}"[..18]);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = tier, billing_cycle = cycle, promotion_code = code });
        var session = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var completed = App.Stripe.CompleteCheckout(session["session_id"]!.GetValue<string>(), card);
        await App.SettleAsync();
        return completed.Body["subscription"]!.GetValue<string>();
    }

    [Test]
    public async Task Mrr_arr_trials_and_revenue_at_risk_match_a_hand_computation()
    {
        await SubscribeAsync("starter", "monthly");                       // 1900
        await SubscribeAsync("professional", "yearly");                   // 49000 / 12 = 4083.33
        await SubscribeAsync("professional", "monthly", "LAUNCH20");      // 4900 less 20 % forever = 3920
        await SubscribeAsync("starter", "monthly", "ONCE5");              // a one-time discount: 1900 a month
        await SubscribeAsync("enterprise", "monthly", card: string.Empty); // trialing: 9900 apart
        var failing = await SubscribeAsync("starter", "yearly");          // past due: 19000 / 12 = 1583.33 at risk
        App.Stripe.FailRenewal(failing);
        await App.SettleAsync();
        var before = App.Stripe.Requests.All.Count;

        var revenue = (await Admin.GetFromJsonAsync<JsonObject>("/api/v1/billing/admin/revenue?currency=usd"))!;

        Assert.That(App.Stripe.Requests.All.Count, Is.EqualTo(before), "from the store only");
        Assert.That(revenue["mrr"]!.GetValue<long>(), Is.EqualTo(11803), "1900 + 4083.33 + 3920 + 1900");
        Assert.That(revenue["arr"]!.GetValue<long>(), Is.EqualTo(11803 * 12));
        Assert.That(revenue["paying_subscriptions"]!.GetValue<int>(), Is.EqualTo(4));
        var plans = revenue["by_plan"]!.AsArray().ToDictionary(p => $"{p!["tier_id"]}/{p["billing_cycle"]}", p => (p!["subscriptions"]!.GetValue<int>(), p["mrr"]!.GetValue<long>()));
        Assert.That(plans, Is.EquivalentTo(new Dictionary<string, (int, long)>
        {
            ["starter/monthly"] = (2, 3800),
            ["professional/monthly"] = (1, 3920),
            ["professional/yearly"] = (1, 4083),
        }));
        Assert.That(revenue["trialing"]!["subscriptions"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(revenue["trialing"]!["mrr"]!.GetValue<long>(), Is.EqualTo(9900));
        Assert.That(revenue["at_risk"]!["subscriptions"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(revenue["at_risk"]!["mrr"]!.GetValue<long>(), Is.EqualTo(1583));
    }

    [Test]
    public async Task Another_currency_has_its_own_figures_and_a_malformed_one_is_400()
    {
        var euros = (await Admin.GetFromJsonAsync<JsonObject>("/api/v1/billing/admin/revenue?currency=EUR"))!;
        using var bad = await Admin.GetAsync("/api/v1/billing/admin/revenue?currency=dollars");
        using var user = await App.ClientFor("not-an-admin").GetAsync("/api/v1/billing/admin/revenue");

        Assert.That(euros["currency"]!.GetValue<string>(), Is.EqualTo("eur"));
        Assert.That(euros["mrr"]!.GetValue<long>(), Is.Zero);
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(user.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
