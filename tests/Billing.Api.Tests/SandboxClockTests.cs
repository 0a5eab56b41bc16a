using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>
/// The sandbox's clock (<c>STRIPE_TEST_CLOCK</c>, a Stripe test clock every customer of the service is made on):
/// advancing it renews every subscription once and the service follows; a bank debit fails when its days are up.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class SandboxClockTests(Database database) : AppFixture(database)
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["STRIPE_TEST_CLOCK"] = BillingApp.NewTestClock;
        settings["Billing:Checkout:PaymentMethodTypes"] = "card,sepa_debit";
        settings["Billing:Catalog:Tiers:starter:CurrencyOptions:monthly:eur"] = "1700";
    }

    private async Task<(HttpClient Client, string SubscriptionId)> SubscribeAsync(string tier, string payWith, string currency = "usd")
    {
        var userId = $"clk-{Guid.NewGuid():N}"[..18];
        App.Keycloak.AddUser(userId, $"{userId}@example.com", id: userId);
        var client = App.ClientFor(userId, $"{userId}@example.com");
        using var checkout = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = tier, billing_cycle = "monthly", currency });
        var session = (await checkout.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>();
        var subscriptionId = App.Stripe.CompleteCheckout(session, payWith).Body["subscription"]!.GetValue<string>();
        await App.SettleAsync();
        return (client, subscriptionId);
    }

    private async Task<JsonObject> AdvanceAsync(int days)
    {
        using var http = new HttpClient { BaseAddress = App.Stripe.BaseUrl };
        using var advanced = await http.PostAsJsonAsync("/_sandbox/clock/advance", new { days });
        Assert.That(advanced.StatusCode, Is.EqualTo(HttpStatusCode.OK), await advanced.Content.ReadAsStringAsync());
        await App.SettleAsync();
        return (await advanced.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private int Renewals(string subscriptionId) =>
        App.Stripe.Events().Count(e => e["type"]!.GetValue<string>() == "invoice.paid" &&
            e["data"]!["object"]!["billing_reason"]!.GetValue<string>() == "subscription_cycle" &&
            e["data"]!["object"]!["parent"]!["subscription_details"]!["subscription"]!.GetValue<string>() == subscriptionId);

    [Test]
    public async Task Advancing_the_clock_a_month_renews_every_subscription_once_and_the_service_follows()
    {
        var first = await SubscribeAsync("starter", StripeStandIn.CardSucceeds);
        var second = await SubscribeAsync("professional", StripeStandIn.CardSucceeds);
        var before = (await first.Client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!["current_period_end"]!.GetValue<DateTimeOffset>();

        var clocks = await AdvanceAsync(31);

        Assert.That(clocks["data"]!.AsArray().Single()!["status"]!.GetValue<string>(), Is.EqualTo("ready"));
        foreach (var (client, subscriptionId) in new[] { first, second })
        {
            var stripeEnd = DateTimeOffset.FromUnixTimeSeconds(App.Stripe.Subscription(subscriptionId)!["items"]!["data"]![0]!["current_period_end"]!.GetValue<long>());
            var status = await Webhooks.EventuallyAsync(
                async () => (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!,
                s => s["current_period_end"]!.GetValue<DateTimeOffset>() == stripeEnd);
            Assert.That(Renewals(subscriptionId), Is.EqualTo(1), $"{subscriptionId} renewed once");
            Assert.That(status["current_period_end"]!.GetValue<DateTimeOffset>(), Is.EqualTo(stripeEnd), "the service holds the new period");
            Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("active"));
        }

        Assert.That(App.Stripe.Subscription(first.SubscriptionId)!["items"]!["data"]![0]!["current_period_start"]!.GetValue<long>(), Is.EqualTo(before.ToUnixTimeSeconds()), "the new period starts where the old one ended");
    }

    [Test]
    public async Task A_bank_debit_fails_when_its_days_are_up_on_the_clock_and_the_subscription_ends()
    {
        var (client, subscriptionId) = await SubscribeAsync("starter", StripeStandIn.IbanFails, "eur");
        var pending = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!;

        await AdvanceAsync(1);
        var stillPending = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!;
        await AdvanceAsync(StripeStandIn.DebitSettlesAfterDays);
        var ended = await Webhooks.EventuallyAsync(
            async () => (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!,
            s => s["status"]!.GetValue<string>() != "pending_payment");

        Assert.That(pending["status"]!.GetValue<string>(), Is.EqualTo("pending_payment"));
        Assert.That(stillPending["status"]!.GetValue<string>(), Is.EqualTo("pending_payment"), "the bank has not answered after one day");
        Assert.That(ended["status"]!.GetValue<string>(), Is.EqualTo("canceled"));
        Assert.That(App.Stripe.Subscription(subscriptionId)!["status"]!.GetValue<string>(), Is.EqualTo("canceled"));
    }
}
