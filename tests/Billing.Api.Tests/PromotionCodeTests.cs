using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Api.Tests;

/// <summary>
/// Coupons and promotion codes from the catalog: created in Stripe by catalog sync, checked against Stripe before
/// checkout or on a live subscription, changing what Stripe charges, and shown in the status.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class PromotionCodeTests(Database database) : AppFixture(database)
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Billing:Catalog:Coupons:launch20:Name"] = "Launch 20%";
        settings["Billing:Catalog:Coupons:launch20:PercentOff"] = "20";
        settings["Billing:Catalog:Coupons:launch20:Duration"] = "forever";
        settings["Billing:Catalog:Coupons:launch20:AppliesTo:0"] = "professional";
        settings["Billing:Catalog:Coupons:launch20:AppliesTo:1"] = "enterprise";
        settings["Billing:Catalog:Coupons:launch20:PromotionCodes:LAUNCH20:MaxRedemptions"] = "100";
        settings["Billing:Catalog:Coupons:five-off:Name"] = "$5 off your next invoice";
        settings["Billing:Catalog:Coupons:five-off:AmountOff"] = "500";
        settings["Billing:Catalog:Coupons:five-off:Duration"] = "once";
        settings["Billing:Catalog:Coupons:five-off:PromotionCodes:FIVEOFF:Active"] = "true";
        settings["Billing:Catalog:Coupons:five-off:PromotionCodes:RETIRED:Active"] = "false";
        settings["Billing:Checkout:AllowPromotionCodes"] = "true";
    }

    private static string NewUser() => $"u-{Guid.NewGuid():N}"[..18];

    private static Task<HttpResponseMessage> CheckoutAsync(HttpClient client, string tier, string? code) =>
        client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = tier, billing_cycle = "monthly", promotion_code = code });

    private async Task<(string UserId, HttpClient Client, string SubscriptionId)> SubscribedAsync(string tier, string? code = null)
    {
        var userId = NewUser();
        var client = App.ClientFor(userId);
        using var response = await CheckoutAsync(client, tier, code);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var session = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var completed = App.Stripe.CompleteCheckout(session["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await App.SettleAsync();
        return (userId, client, completed.Body["subscription"]!.GetValue<string>());
    }

    private static async Task<JsonObject> StatusAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!;

    private long LatestInvoicePaid(string subscriptionId)
    {
        var invoiceId = App.Stripe.Subscription(subscriptionId)!["latest_invoice"]!.GetValue<string>();
        return App.Stripe.Events().Last(e => e["type"]!.GetValue<string>() == "invoice.paid" && e["data"]!["object"]!["id"]!.GetValue<string>() == invoiceId)["data"]!["object"]!["amount_paid"]!.GetValue<long>();
    }

    [Test]
    public async Task Catalog_sync_created_the_coupons_and_codes_in_Stripe_and_a_second_run_changes_nothing()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var again = await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new Billing.Application.Catalog.Publish.PublishCatalog(DryRun: true));

        var coupon = App.Stripe.Coupon("launch20")!;
        Assert.That(coupon["percent_off"]!.GetValue<decimal>(), Is.EqualTo(20m));
        Assert.That(coupon["duration"]!.GetValue<string>(), Is.EqualTo("forever"));
        Assert.That(coupon["applies_to"]!["products"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EquivalentTo(new[] { "billing_professional", "billing_enterprise" }));
        Assert.That(App.Stripe.PromotionCodeNamed("LAUNCH20")!["max_redemptions"]!.GetValue<long>(), Is.EqualTo(100));
        Assert.That(App.Stripe.PromotionCodeNamed("RETIRED")!["active"]!.GetValue<bool>(), Is.False);
        Assert.That(again.Value.Changes, Is.Empty, string.Join("; ", again.Value.Changes));
    }

    [Test]
    public async Task A_promotion_code_at_checkout_lowers_what_Stripe_charges_and_the_status_shows_it()
    {
        var (userId, client, subscriptionId) = await SubscribedAsync("professional", "launch20");

        var status = await StatusAsync(client);

        var session = App.Stripe.Requests.Matching("POST", "/v1/checkout/sessions").Last(r => r.Form.GetValueOrDefault("client_reference_id") == userId).Form;
        Assert.That(session["discounts[0][promotion_code]"], Is.EqualTo(App.Stripe.PromotionCodeNamed("LAUNCH20")!["id"]!.GetValue<string>()));
        Assert.That(session.ContainsKey("allow_promotion_codes"), Is.False, "a code given here, not typed on Stripe's page");
        Assert.That(LatestInvoicePaid(subscriptionId), Is.EqualTo(3920), "49.00 less 20 %");
        Assert.That(status["amount"]!.GetValue<long>(), Is.EqualTo(4900));
        Assert.That(status["amount_after_discount"]!.GetValue<long>(), Is.EqualTo(3920));
        var discount = status["discounts"]!.AsArray().Single()!;
        Assert.That(discount["promotion_code"]!.GetValue<string>(), Is.EqualTo("LAUNCH20"));
        Assert.That(discount["percent_off"]!.GetValue<decimal>(), Is.EqualTo(20m));
        Assert.That(discount["name"]!.GetValue<string>(), Is.EqualTo("Launch 20%"));
    }

    [Test]
    public async Task Without_a_code_Stripe_s_page_offers_a_field_for_one()
    {
        var userId = NewUser();
        using var client = App.ClientFor(userId);

        using var response = await CheckoutAsync(client, "starter", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var session = App.Stripe.Requests.Matching("POST", "/v1/checkout/sessions").Last(r => r.Form.GetValueOrDefault("client_reference_id") == userId).Form;
        Assert.That(session["allow_promotion_codes"], Is.EqualTo("true"));
    }

    [TestCase("NOSUCHCODE", "promotion_code_unknown")]
    [TestCase("RETIRED", "promotion_code_expired")]
    [TestCase("LAUNCH20", "promotion_code_not_applicable")]
    [TestCase("no spaces!", "invalid_request")]
    public async Task A_bad_code_at_checkout_is_400_and_nothing_is_created_in_Stripe(string code, string expected)
    {
        var userId = NewUser();
        using var client = App.ClientFor(userId);
        var before = App.Stripe.Requests.All.Count(r => r.Method == "POST");

        using var response = await CheckoutAsync(client, "starter", code);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo(expected));
        Assert.That(App.Stripe.Requests.All.Count(r => r.Method == "POST"), Is.EqualTo(before), "no customer, no session");
    }

    [Test]
    public async Task A_code_applied_to_a_live_subscription_takes_its_share_off_the_next_invoice_only_once()
    {
        var (_, client, subscriptionId) = await SubscribedAsync("starter");

        using var applied = await client.PostAsJsonAsync("/api/v1/billing/subscription/promotion-code", new { code = "fiveoff" });
        var view = (await applied.Content.ReadFromJsonAsync<JsonObject>())!;
        App.Stripe.RenewNow(subscriptionId);
        var discounted = LatestInvoicePaid(subscriptionId);
        App.Stripe.RenewNow(subscriptionId);
        var full = LatestInvoicePaid(subscriptionId);
        await App.SettleAsync();
        var after = await StatusAsync(client);

        Assert.That(applied.StatusCode, Is.EqualTo(HttpStatusCode.OK), view.ToJsonString());
        Assert.That(view["discounts"]!.AsArray().Single()!["promotion_code"]!.GetValue<string>(), Is.EqualTo("FIVEOFF"));
        Assert.That(view["amount_after_discount"]!.GetValue<long>(), Is.EqualTo(1400));
        Assert.That(discounted, Is.EqualTo(1400));
        Assert.That(full, Is.EqualTo(1900), "a once coupon is used up by one invoice");
        Assert.That(after["discounts"]!.AsArray(), Is.Empty);
        Assert.That(after["amount_after_discount"]!.GetValue<long>(), Is.EqualTo(1900));
    }

    [Test]
    public async Task A_code_not_for_the_subscribed_tier_is_refused_and_the_subscription_is_unchanged()
    {
        var (_, client, subscriptionId) = await SubscribedAsync("starter");
        var before = App.Stripe.Requests.Matching("POST", $"/v1/subscriptions/{subscriptionId}").Count;

        using var refused = await client.PostAsJsonAsync("/api/v1/billing/subscription/promotion-code", new { code = "LAUNCH20" });
        using var nobody = await App.ClientFor(NewUser()).PostAsJsonAsync("/api/v1/billing/subscription/promotion-code", new { code = "FIVEOFF" });

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await refused.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("promotion_code_not_applicable"));
        Assert.That(nobody.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(App.Stripe.Requests.Matching("POST", $"/v1/subscriptions/{subscriptionId}").Count, Is.EqualTo(before));
    }
}
