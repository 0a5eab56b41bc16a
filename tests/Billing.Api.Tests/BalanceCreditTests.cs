using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>Credit an operator gives, end to end: once per key, in the account's currency, used by the next invoice.</summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class BalanceCreditTests(Database database) : AppFixture(database)
{
    private async Task<(string UserId, HttpClient Client, string SubscriptionId)> SubscribeAsync()
    {
        var userId = $"bc-{Guid.NewGuid():N}"[..18];
        App.Keycloak.AddUser(userId, $"{userId}@example.com", id: userId);
        var client = App.ClientFor(userId);
        using var checkout = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });
        var session = (await checkout.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>();
        var subscriptionId = App.Stripe.CompleteCheckout(session, StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        await App.SettleAsync();
        return (userId, client, subscriptionId);
    }

    private async Task<HttpResponseMessage> CreditAsync(string userId, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/billing/admin/accounts/{userId}/credits") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await Admin.SendAsync(request);
    }

    [Test]
    public async Task A_credit_of_1000_shows_in_the_balance_once_and_the_next_invoice_uses_it()
    {
        var (userId, client, subscriptionId) = await SubscribeAsync();
        var key = Guid.NewGuid().ToString();

        using var first = await CreditAsync(userId, new { amount = 1000, currency = "usd", reason = "Outage on 3 December" }, key);
        using var again = await CreditAsync(userId, new { amount = 1000, currency = "usd", reason = "Outage on 3 December" }, key);
        await App.SettleAsync();
        var balance = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/balance"))!;
        var status = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!;

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(App.Stripe.Customer(App.Stripe.Subscription(subscriptionId)!["customer"]!.GetValue<string>())!["balance"]!.GetValue<long>(), Is.EqualTo(-1000), "credited once");
        Assert.That(balance["credit"]!.GetValue<long>(), Is.EqualTo(1000));
        Assert.That(balance["credits"]!.AsArray().Single()!["reason"]!.GetValue<string>(), Is.EqualTo("Outage on 3 December"));
        Assert.That(status["credit_balance"]!.GetValue<long>(), Is.EqualTo(1000));

        var renewal = App.Stripe.RenewNow(subscriptionId).Body;
        await App.SettleAsync();
        var used = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/balance"))!;

        var invoices = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/invoices"))!;
        var renewed = invoices["data"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == renewal["id"]!.GetValue<string>())!;
        Assert.That(renewal["amount_due"]!.GetValue<long>(), Is.EqualTo(900), "1900 less the credit");
        Assert.That(renewed["balance_applied"]!.GetValue<long>(), Is.EqualTo(1000), "the invoice shows the credit it used");
        Assert.That(used["credit"]!.GetValue<long>(), Is.Zero, "the invoice used it; Stripe's customer.updated says so");
    }

    [Test]
    public async Task A_credit_in_another_currency_or_without_a_reason_is_refused_and_changes_nothing()
    {
        var (userId, _, subscriptionId) = await SubscribeAsync();

        using var euros = await CreditAsync(userId, new { amount = 1000, currency = "eur", reason = "Outage" }, Guid.NewGuid().ToString());
        using var reasonless = await CreditAsync(userId, new { amount = 1000, currency = "usd" }, Guid.NewGuid().ToString());
        using var nobody = await CreditAsync("nobody-here", new { amount = 1000, currency = "usd", reason = "Outage" }, Guid.NewGuid().ToString());

        Assert.That(euros.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await euros.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("currency_mismatch"));
        Assert.That(reasonless.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(nobody.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(App.Stripe.Customer(App.Stripe.Subscription(subscriptionId)!["customer"]!.GetValue<string>())!["balance"]!.GetValue<long>(), Is.Zero);
    }
}
