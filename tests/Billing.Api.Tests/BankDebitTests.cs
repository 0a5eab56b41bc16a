using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>
/// Paying by SEPA Direct Debit, end to end: a first payment on its way is <c>pending_payment</c> with no paid access,
/// a debit that succeeds makes the account active in Keycloak and Lago, one that fails ends the subscription with one
/// e-mail and lets the user check out again, and a renewal by debit keeps good standing while it is processing.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class BankDebitTests(Database database) : AppFixture(database)
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Billing:Checkout:PaymentMethodTypes"] = "card,sepa_debit";
        settings["Billing:Catalog:Tiers:starter:CurrencyOptions:monthly:eur"] = "1700";
        settings["Billing:Catalog:Tiers:professional:CurrencyOptions:monthly:eur"] = "4500";
        settings["Billing:NotificationDelay"] = "00:00:00.200";
    }

    private string? Attribute(string userId, string name) => App.Keycloak.FindUser(userId)?.Attributes.GetValueOrDefault(name)?.SingleOrDefault();

    private async Task<(string UserId, HttpClient Client, JsonObject Session)> CheckOutInEurosAsync(string iban)
    {
        var userId = $"sepa-{Guid.NewGuid():N}"[..18];
        App.Keycloak.AddUser(userId, $"{userId}@example.com", id: userId);
        var client = App.ClientFor(userId, $"{userId}@example.com");
        using var checkout = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "professional", billing_cycle = "monthly", currency = "eur" });
        Assert.That(checkout.StatusCode, Is.EqualTo(HttpStatusCode.OK), await checkout.Content.ReadAsStringAsync());
        var sessionId = (await checkout.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>();
        var completed = App.Stripe.CompleteCheckout(sessionId, iban);
        Assert.That(completed.Status, Is.EqualTo(200), completed.Body.ToJsonString());
        await App.SettleAsync();
        return (userId, client, completed.Body.AsObject());
    }

    private static async Task<JsonObject> StatusAsync(HttpClient client) => (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!;

    [Test]
    public async Task A_SEPA_checkout_completed_unpaid_is_pending_payment_with_no_paid_access_and_nothing_for_the_user_to_do()
    {
        var (userId, client, session) = await CheckOutInEurosAsync(StripeStandIn.IbanSucceeds);
        var status = await StatusAsync(client);

        Assert.That(session["payment_status"]!.GetValue<string>(), Is.EqualTo("unpaid"), "Stripe completes a debit checkout before the money is in");
        Assert.That(App.Stripe.Session(session["id"]!.GetValue<string>())!["payment_method_types"]!.AsArray().Select(m => m!.GetValue<string>()), Is.EqualTo(new[] { "card", "sepa_debit" }));
        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("pending_payment"));
        Assert.That(status["action"], Is.Null, "nothing to do but wait for the bank");
        Assert.That(status["access_tier"]!.GetValue<string>(), Is.EqualTo("trial"), "no paid access by default");
        Assert.That(await Webhooks.EventuallyAsync(() => Task.FromResult(Attribute(userId, "subscription_status")), s => s == "pending_payment"), Is.EqualTo("pending_payment"));
        Assert.That(Attribute(userId, "subscription_tier"), Is.EqualTo("trial"));
        Assert.That(App.Lago.Subscriptions.ContainsKey(session["subscription"]!.GetValue<string>()), Is.False, "Lago bills nothing before the money is in");
        var account = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/payment-methods"))!["payment_methods"]!.AsArray().Single()!;
        Assert.That(account["type"]!.GetValue<string>(), Is.EqualTo("sepa_debit"), "the bank account the mandate was given for");
        Assert.That(account["last4"]!.GetValue<string>(), Is.EqualTo(StripeStandIn.IbanSucceeds[^4..]));
        Assert.That(account["exp_month"], Is.Null);
        Assert.That(account["is_default"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task The_debit_succeeds_and_the_account_becomes_active_in_Keycloak_and_Lago()
    {
        var (userId, client, session) = await CheckOutInEurosAsync(StripeStandIn.IbanSucceeds);
        var customer = App.Stripe.Subscription(session["subscription"]!.GetValue<string>())!["customer"]!.GetValue<string>();

        Assert.That(App.Stripe.SettleDebits(customer), Is.EqualTo(1));
        await App.SettleAsync();
        var status = await StatusAsync(client);

        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(status["access_tier"]!.GetValue<string>(), Is.EqualTo("professional"));
        Assert.That(await Webhooks.EventuallyAsync(() => Task.FromResult(Attribute(userId, "subscription_tier")), t => t == "professional"), Is.EqualTo("professional"));
        Assert.That(Attribute(userId, "subscription_status"), Is.EqualTo("active"));
        Assert.That(
            await Webhooks.EventuallyAsync(() => Task.FromResult(App.Lago.Subscriptions.ContainsKey(session["subscription"]!.GetValue<string>())), known => known),
            Is.True,
            "Lago bills the subscription once it is paid");
    }

    [Test]
    public async Task The_debit_fails_the_subscription_ends_with_one_email_and_checkout_is_allowed_again()
    {
        var (userId, client, session) = await CheckOutInEurosAsync(StripeStandIn.IbanFails);
        var subscriptionId = session["subscription"]!.GetValue<string>();

        App.Stripe.SettleDebits(App.Stripe.Subscription(subscriptionId)!["customer"]!.GetValue<string>());
        await App.SettleAsync();
        var status = await StatusAsync(client);
        var mail = await Webhooks.EventuallyAsync(() => Task.FromResult(App.Mail.To($"{userId}@example.com")), m => m.Count > 0);
        await Task.Delay(TimeSpan.FromSeconds(1));
        using var again = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "professional", billing_cycle = "monthly", currency = "eur" });

        Assert.That(App.Stripe.Subscription(subscriptionId)!["status"]!.GetValue<string>(), Is.EqualTo("canceled"), "the unpaid subscription was ended in Stripe");
        Assert.That(status["status"]!.GetValue<string>(), Is.Not.EqualTo("pending_payment").And.Not.EqualTo("active"));
        Assert.That(status["access_tier"]!.GetValue<string>(), Is.EqualTo("trial"));
        Assert.That(App.Mail.To($"{userId}@example.com").Select(m => m.Notification), Is.EqualTo(new[] { "bank_debit_failed" }), "one e-mail, no payment-failed or canceled notice beside it");
        Assert.That(mail[0].Subject, Is.EqualTo("Your bank payment did not go through"), "no tier named: the subscription that ended left the account on none");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), await again.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_renewal_by_debit_stays_in_good_standing_while_it_is_processing()
    {
        var (userId, client, session) = await CheckOutInEurosAsync(StripeStandIn.IbanSucceeds);
        var subscriptionId = session["subscription"]!.GetValue<string>();
        var customer = App.Stripe.Subscription(subscriptionId)!["customer"]!.GetValue<string>();
        App.Stripe.SettleDebits(customer);
        await App.SettleAsync();

        var renewal = App.Stripe.RenewNow(subscriptionId).Body;
        await App.SettleAsync();
        var processing = await StatusAsync(client);

        Assert.That(renewal["status"]!.GetValue<string>(), Is.EqualTo("open"), "the renewal's debit is processing");
        Assert.That(processing["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(processing["action"], Is.Null, "nothing failed: the bank has not answered yet");
        Assert.That(processing["past_due_since"], Is.Null);
        Assert.That(processing["access_tier"]!.GetValue<string>(), Is.EqualTo("professional"));
        Assert.That(processing["payment_processing"]!.GetValue<bool>(), Is.True, "the status says the debit is on its way");
        var open = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/invoices"))!["data"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == renewal["id"]!.GetValue<string>())!;
        Assert.That(open["status"]!.GetValue<string>(), Is.EqualTo("open"));
        Assert.That(open["payment_processing"]!.GetValue<bool>(), Is.True);

        App.Stripe.SettleDebits(customer);
        await App.SettleAsync();
        var invoices = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/invoices"))!;
        var paid = invoices["data"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == renewal["id"]!.GetValue<string>())!;
        Assert.That(paid["status"]!.GetValue<string>(), Is.EqualTo("paid"));
        Assert.That(paid["payment_processing"]!.GetValue<bool>(), Is.False);
        Assert.That((await StatusAsync(client))["payment_processing"]!.GetValue<bool>(), Is.False);
        Assert.That(Attribute(userId, "subscription_status"), Is.EqualTo("active"));
    }

    [Test]
    public async Task SEPA_debit_in_dollars_is_refused_before_Stripe_is_asked()
    {
        var userId = $"sepa-{Guid.NewGuid():N}"[..18];
        var client = App.ClientFor(userId, $"{userId}@example.com");
        var customersBefore = App.Stripe.CustomerCount;

        using var refused = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "professional", billing_cycle = "monthly", currency = "usd", payment_method_types = new[] { "sepa_debit" } });
        using var unknown = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "professional", billing_cycle = "monthly", payment_method_types = new[] { "ideal" } });
        using var dollars = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "professional", billing_cycle = "monthly", currency = "usd" });

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await refused.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("payment_method_not_available"));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(App.Stripe.CustomerCount, Is.EqualTo(customersBefore + 1), "only the last request, which may pay by card, made a customer");
        Assert.That(dollars.StatusCode, Is.EqualTo(HttpStatusCode.OK), "in dollars the checkout offers the card alone");
        var session = App.Stripe.Session((await dollars.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>())!;
        Assert.That(session["payment_method_types"]!.AsArray().Select(m => m!.GetValue<string>()), Is.EqualTo(new[] { "card" }));
    }
}
