using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>Revenue from the store equals a hand computation over a seeded set of subscriptions in two currencies.</summary>
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
        settings["Billing:Catalog:Tiers:starter:CurrencyOptions:monthly:eur"] = "1700";
        settings["Billing:Catalog:Tiers:professional:CurrencyOptions:yearly:eur"] = "45000";
    }

    private async Task<string> SubscribeAsync(string tier, string cycle, string? code = null, string card = StripeStandIn.CardSucceeds, string? currency = null, Func<HttpClient, Task>? then = null)
    {
        using var client = App.ClientFor($"u-{Guid.NewGuid():N}"[..18]);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = tier, billing_cycle = cycle, promotion_code = code, currency });
        var session = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var completed = App.Stripe.CompleteCheckout(session["session_id"]!.GetValue<string>(), card);
        await App.SettleAsync();
        if (then is not null)
        {
            await then(client);
            await App.SettleAsync();
        }

        return completed.Body["subscription"]!.GetValue<string>();
    }

    [Test]
    public async Task Mrr_arr_movements_trials_and_revenue_at_risk_match_a_hand_computation_in_each_currency()
    {
        await SubscribeAsync("starter", "monthly");                       // 1900
        await SubscribeAsync("professional", "yearly");                   // 49000 / 12 = 4083.33
        await SubscribeAsync("professional", "monthly", "LAUNCH20");      // 4900 less 20 % forever = 3920
        await SubscribeAsync("starter", "monthly", "ONCE5");              // a one-time discount: 1900 a month
        await SubscribeAsync("enterprise", "monthly", card: string.Empty); // trialing: 9900 apart
        var failing = await SubscribeAsync("starter", "yearly");          // past due: 19000 / 12 = 1583.33 at risk
        App.Stripe.FailRenewal(failing);
        await App.SettleAsync();
        await SubscribeAsync("professional", "monthly", then: c => c.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { at_period_end = false })); // new, then churned
        await SubscribeAsync("starter", "monthly", currency: "eur");      // 1700 EUR
        await SubscribeAsync("professional", "yearly", currency: "eur");  // 45000 / 12 = 3750 EUR
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

        // Every paid subscription above started in the last 30 days: 22800 + 49000 + 47040 + 22800 + 19000 + 58800 a year.
        var moved = revenue["thirty_day_movements"]!;
        Assert.That(moved["new"]!["subscriptions"]!.GetValue<int>(), Is.EqualTo(6));
        Assert.That(moved["new"]!["mrr"]!.GetValue<long>(), Is.EqualTo(18287), "219440 / 12");
        Assert.That(moved["churned"]!["subscriptions"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(moved["churned"]!["mrr"]!.GetValue<long>(), Is.EqualTo(4900));
        Assert.That(moved["reactivated"]!["subscriptions"]!.GetValue<int>(), Is.Zero);
        Assert.That(moved["trials_started"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(moved["trial_conversion_rate"], Is.Null, "no trial has ended yet");

        var euros = (await Admin.GetFromJsonAsync<JsonObject>("/api/v1/billing/admin/revenue?currency=eur"))!;
        Assert.That(euros["mrr"]!.GetValue<long>(), Is.EqualTo(5450), "1700 + 45000 / 12");
        Assert.That(euros["paying_subscriptions"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(euros["thirty_day_movements"]!["new"]!["subscriptions"]!.GetValue<int>(), Is.EqualTo(2));

        var history = (await Admin.GetFromJsonAsync<JsonObject>("/api/v1/billing/admin/revenue/history?months=2&currency=usd"))!;
        var months = history["months"]!.AsArray();
        Assert.That(months.Count, Is.EqualTo(2));
        Assert.That(months[0]!["month"]!.GetValue<string>(), Is.EqualTo(DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(months[0]!["mrr"]!.GetValue<long>(), Is.EqualTo(11803), "this month closes at today's MRR");
        Assert.That(months[0]!["movements"]!["new"]!["subscriptions"]!.GetValue<int>(), Is.EqualTo(6));
        Assert.That(months[1]!["mrr"]!.GetValue<long>(), Is.Zero, "before these movements there was no revenue");
        Assert.That(months[1]!["movements"]!["new"]!["subscriptions"]!.GetValue<int>(), Is.Zero);
    }

    [Test]
    public async Task The_history_refuses_a_range_it_cannot_show()
    {
        using var tooLong = await Admin.GetAsync("/api/v1/billing/admin/revenue/history?months=37");
        using var none = await Admin.GetAsync("/api/v1/billing/admin/revenue/history?months=0");
        using var user = await App.ClientFor("not-an-admin").GetAsync("/api/v1/billing/admin/revenue/history");

        Assert.That(tooLong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(user.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Another_currency_has_its_own_figures_and_a_malformed_one_is_400()
    {
        var euros = (await Admin.GetFromJsonAsync<JsonObject>("/api/v1/billing/admin/revenue?currency=GBP"))!;
        using var bad = await Admin.GetAsync("/api/v1/billing/admin/revenue?currency=dollars");
        using var user = await App.ClientFor("not-an-admin").GetAsync("/api/v1/billing/admin/revenue");

        Assert.That(euros["currency"]!.GetValue<string>(), Is.EqualTo("gbp"));
        Assert.That(euros["mrr"]!.GetValue<long>(), Is.Zero);
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(user.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
