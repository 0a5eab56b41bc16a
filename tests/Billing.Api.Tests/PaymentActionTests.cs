using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>
/// No dead ends when a payment needs the customer: the status says what to do and where, a first payment under way
/// is finished where it started, a failed one can be tried again, and access follows Stripe's retries.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class PaymentActionTests(Database database) : AppFixture(database)
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Billing:PastDueGracePeriod"] = "3.00:00:00";
        settings["STRIPE_PORTAL_RETURN_URL"] = "https://app.example/billing";
    }

    private static string NewUser() => $"u-{Guid.NewGuid():N}"[..18];

    private static async Task<JsonObject> CheckoutAsync(HttpClient client, string tier = "starter", string cycle = "monthly")
    {
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = tier, billing_cycle = cycle });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<(string UserId, HttpClient Client, string SubscriptionId)> SubscribedAsync(string card = StripeStandIn.CardSucceeds)
    {
        var userId = NewUser();
        App.Keycloak.AddUser(userId, $"{userId}@example.com", id: userId);
        var client = App.ClientFor(userId, $"{userId}@example.com");
        var session = await CheckoutAsync(client);
        var completed = App.Stripe.CompleteCheckout(session["session_id"]!.GetValue<string>(), card);
        await App.SettleAsync();
        return (userId, client, completed.Body["subscription"]!.GetValue<string>());
    }

    private static async Task<JsonObject> StatusAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!;

    private string? KeycloakTier(string userId) =>
        App.Keycloak.FindUser(userId)?.Attributes.GetValueOrDefault("subscription_tier")?.Single();

    [Test]
    public async Task An_active_subscription_asks_nothing_of_the_user()
    {
        var (_, client, _) = await SubscribedAsync();

        var status = await StatusAsync(client);

        Assert.That(status["action"], Is.Null);
    }

    [Test]
    public async Task A_renewal_needing_3D_Secure_asks_to_authenticate_on_the_hosted_invoice_and_paying_clears_it()
    {
        var (_, client, subscriptionId) = await SubscribedAsync();
        App.Stripe.RequireAuthenticationForRenewal(subscriptionId);
        await App.SettleAsync();
        var invoiceId = App.Stripe.Subscription(subscriptionId)!["latest_invoice"]!.GetValue<string>();
        var before = App.Stripe.Requests.All.Count;

        var waiting = await StatusAsync(client);
        var stripeCallsToRead = App.Stripe.Requests.All.Count - before;
        App.Stripe.Authenticate3DSecure(invoiceId);
        await App.SettleAsync();
        var paid = await StatusAsync(client);

        Assert.That(stripeCallsToRead, Is.Zero, "the action is read from the store");
        Assert.That(waiting["status"]!.GetValue<string>(), Is.EqualTo("past_due"));
        Assert.That(waiting["action"]!["kind"]!.GetValue<string>(), Is.EqualTo("authenticate_payment"));
        Assert.That(waiting["action"]!["url"]!.GetValue<string>(), Is.EqualTo(new Uri(App.Stripe.BaseUrl, $"invoices/{invoiceId}").AbsoluteUri));
        Assert.That(waiting["action"]!["due_at"]!.GetValue<DateTimeOffset>(), Is.EqualTo(waiting["past_due_since"]!.GetValue<DateTimeOffset>().AddDays(3)).Within(TimeSpan.FromSeconds(1)));
        Assert.That(waiting["access_tier"]!.GetValue<string>(), Is.EqualTo("starter"), "authenticating keeps the grace period");
        Assert.That(paid["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(paid["action"], Is.Null);
    }

    [Test]
    public async Task A_declined_renewal_asks_to_pay_the_open_invoice_while_Stripe_retries()
    {
        var (userId, client, subscriptionId) = await SubscribedAsync();
        App.Stripe.FailRenewal(subscriptionId);
        await App.SettleAsync();
        var invoiceId = App.Stripe.Subscription(subscriptionId)!["latest_invoice"]!.GetValue<string>();

        var status = await StatusAsync(client);

        Assert.That(status["action"]!["kind"]!.GetValue<string>(), Is.EqualTo("pay_invoice"));
        Assert.That(status["action"]!["url"]!.GetValue<string>(), Does.EndWith($"/invoices/{invoiceId}"));
        Assert.That(status["access_tier"]!.GetValue<string>(), Is.EqualTo("starter"), "Stripe still retries: the grace period holds");
        Assert.That(KeycloakTier(userId), Is.EqualTo("starter"));
    }

    [Test]
    public async Task Access_ends_when_Stripe_stops_retrying_before_the_grace_period_ends()
    {
        var (userId, client, subscriptionId) = await SubscribedAsync();
        App.Stripe.FailRenewal(subscriptionId);
        await App.SettleAsync();

        App.Stripe.EndRetries(subscriptionId, then: "past_due");
        await App.SettleAsync();
        var status = await StatusAsync(client);
        var keycloak = await Webhooks.EventuallyAsync(() => Task.FromResult(KeycloakTier(userId)), t => t == "trial");

        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("past_due"));
        Assert.That(status["access_tier"]!.GetValue<string>(), Is.EqualTo("trial"), "three days of grace were configured, but nothing will collect the invoice now");
        Assert.That(status["action"]!["kind"]!.GetValue<string>(), Is.EqualTo("pay_invoice"), "paying it is still possible");
        Assert.That(keycloak, Is.EqualTo("trial"));
    }

    [Test]
    public async Task An_unpaid_subscription_grants_nothing_and_still_offers_its_invoice()
    {
        var (_, client, subscriptionId) = await SubscribedAsync();
        App.Stripe.FailRenewal(subscriptionId);
        App.Stripe.EndRetries(subscriptionId, then: "unpaid");
        await App.SettleAsync();

        var status = await StatusAsync(client);

        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("unpaid"));
        Assert.That(status["access_tier"]!.GetValue<string>(), Is.EqualTo("trial"));
        Assert.That(status["action"]!["kind"]!.GetValue<string>(), Is.EqualTo("pay_invoice"));
        Assert.That(status["action"]!["due_at"], Is.Null, "access is already gone");
    }

    [Test]
    public async Task A_paused_subscription_asks_for_a_card_on_the_billing_page()
    {
        var (_, client, subscriptionId) = await SubscribedAsync();
        App.Stripe.PauseSubscription(subscriptionId);
        await App.SettleAsync();

        var status = await StatusAsync(client);

        Assert.That(status["action"]!["kind"]!.GetValue<string>(), Is.EqualTo("update_payment_method"));
        Assert.That(status["action"]!["url"]!.GetValue<string>(), Is.EqualTo("https://app.example/billing?action=update_payment_method"));
    }

    [Test]
    public async Task While_a_first_payment_awaits_3D_Secure_checkout_answers_the_same_session_instead_of_409()
    {
        var userId = NewUser();
        using var client = App.ClientFor(userId);
        var first = await CheckoutAsync(client);
        App.Stripe.CompleteCheckout(first["session_id"]!.GetValue<string>(), StripeStandIn.CardNeedsAuthentication);
        await App.SettleAsync();
        var sessionsBefore = App.Stripe.Requests.Matching("POST", "/v1/checkout/sessions").Count;

        var status = await StatusAsync(client);
        var again = await CheckoutAsync(client, "professional");

        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("incomplete"));
        Assert.That(status["action"]!["kind"]!.GetValue<string>(), Is.EqualTo("authenticate_payment"));
        Assert.That(again["checkout_url"]!.GetValue<string>(), Is.EqualTo(first["checkout_url"]!.GetValue<string>()));
        Assert.That(again["session_id"]!.GetValue<string>(), Is.EqualTo(first["session_id"]!.GetValue<string>()));
        Assert.That(App.Stripe.Requests.Matching("POST", "/v1/checkout/sessions").Count, Is.EqualTo(sessionsBefore), "no second session to pay");
    }

    [Test]
    public async Task After_a_first_payment_expired_incomplete_the_user_can_check_out_again_and_pay()
    {
        var userId = NewUser();
        using var client = App.ClientFor(userId);
        var first = await CheckoutAsync(client);
        var pending = App.Stripe.CompleteCheckout(first["session_id"]!.GetValue<string>(), StripeStandIn.CardNeedsAuthentication);
        await App.SettleAsync();
        App.Stripe.ExpireIncomplete(pending.Body["subscription"]!.GetValue<string>());
        await App.SettleAsync();

        var expired = await StatusAsync(client);
        var second = await CheckoutAsync(client);
        var paid = App.Stripe.CompleteCheckout(second["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await App.SettleAsync();
        var status = await StatusAsync(client);

        Assert.That(expired["status"]!.GetValue<string>(), Is.EqualTo("incomplete_expired"));
        Assert.That(expired["action"], Is.Null);
        Assert.That(second["session_id"]!.GetValue<string>(), Is.Not.EqualTo(first["session_id"]!.GetValue<string>()), "a new session, not the dead one");
        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(status["subscription_id"]!.GetValue<string>(), Is.EqualTo(paid.Body["subscription"]!.GetValue<string>()));
    }

    [Test]
    public async Task After_a_cancellation_the_user_can_check_out_again()
    {
        var (_, client, _) = await SubscribedAsync();
        (await client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { at_period_end = false })).Dispose();
        await App.SettleAsync();

        var second = await CheckoutAsync(client, "professional");
        App.Stripe.CompleteCheckout(second["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await App.SettleAsync();
        var status = await StatusAsync(client);

        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(status["tier_id"]!.GetValue<string>(), Is.EqualTo("professional"));
    }

    private async Task<JsonObject> StartCardUpdateAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/api/v1/billing/payment-methods/update", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Test]
    public async Task A_failed_renewal_is_paid_with_a_card_saved_in_the_setup_flow_and_the_account_is_active_again()
    {
        var (userId, client, subscriptionId) = await SubscribedAsync();
        App.Stripe.FailRenewal(subscriptionId);
        await App.SettleAsync();
        var invoiceId = App.Stripe.Subscription(subscriptionId)!["latest_invoice"]!.GetValue<string>();
        var failed = await StatusAsync(client);

        var update = await StartCardUpdateAsync(client);
        App.Stripe.CompleteCheckout(update["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await App.SettleAsync();
        var status = await StatusAsync(client);

        var session = App.Stripe.Requests.Matching("POST", "/v1/checkout/sessions").Last(r => r.Form.GetValueOrDefault("client_reference_id") == userId).Form;
        Assert.That(session["mode"], Is.EqualTo("setup"));
        Assert.That(session["currency"], Is.EqualTo("usd"));
        Assert.That(session.ContainsKey("line_items[0][price]"), Is.False, "no plan change");
        Assert.That(session["success_url"], Is.EqualTo("https://app.example/billing?payment_method=updated"));
        Assert.That(failed["action"]!["kind"]!.GetValue<string>(), Is.EqualTo("pay_invoice"));
        var subscription = App.Stripe.Subscription(subscriptionId)!;
        var newCard = subscription["default_payment_method"]!.GetValue<string>();
        Assert.That(App.Stripe.Customer(subscription["customer"]!.GetValue<string>())!["invoice_settings"]!["default_payment_method"]!.GetValue<string>(), Is.EqualTo(newCard), "the customer's default too");
        Assert.That(App.Stripe.Requests.Matching("POST", $"/v1/invoices/{invoiceId}/pay").Single().Form["payment_method"], Is.EqualTo(newCard), "the open invoice was retried with the new card at once");
        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(status["action"], Is.Null);
        Assert.That(status["access_tier"]!.GetValue<string>(), Is.EqualTo("starter"));
        var history = (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{userId}"))!["history"]!.AsArray().Select(h => h!["kind"]!.GetValue<string>()).ToList();
        Assert.That(history, Does.Contain("payment_method_updated").And.Contain("invoice_paid_with_new_card"));
    }

    [Test]
    public async Task A_new_card_that_declines_too_leaves_the_invoice_open_and_the_action_in_place()
    {
        var (userId, client, subscriptionId) = await SubscribedAsync();
        App.Stripe.FailRenewal(subscriptionId);
        await App.SettleAsync();

        var update = await StartCardUpdateAsync(client);
        App.Stripe.CompleteCheckout(update["session_id"]!.GetValue<string>(), StripeStandIn.CardAttachesThenDeclines);
        await App.SettleAsync();
        var status = await StatusAsync(client);

        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("past_due"));
        Assert.That(status["action"]!["kind"]!.GetValue<string>(), Is.EqualTo("pay_invoice"));
        var account = (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{userId}"))!;
        Assert.That(account["history"]!.AsArray().Select(h => h!["kind"]!.GetValue<string>()), Does.Contain("invoice_retry_declined"), "a decline is an outcome the event was processed to, not a failure");
    }

    [Test]
    public async Task A_card_update_while_all_is_paid_only_changes_the_default_card()
    {
        var (_, client, subscriptionId) = await SubscribedAsync();
        var before = App.Stripe.Subscription(subscriptionId)!["default_payment_method"]!.GetValue<string>();
        int Payments() => App.Stripe.Requests.All.Count(r => r.Method == "POST" && r.Path.EndsWith("/pay", StringComparison.Ordinal));
        var paymentsBefore = Payments();

        var update = await StartCardUpdateAsync(client);
        App.Stripe.CompleteCheckout(update["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await App.SettleAsync();
        var cards = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/payment-methods"))!["payment_methods"]!.AsArray();

        var after = App.Stripe.Subscription(subscriptionId)!["default_payment_method"]!.GetValue<string>();
        Assert.That(after, Is.Not.EqualTo(before));
        Assert.That(cards.Single(c => c!["is_default"]!.GetValue<bool>())!["id"]!.GetValue<string>(), Is.EqualTo(after));
        Assert.That(Payments(), Is.EqualTo(paymentsBefore), "nothing was open to pay");
        Assert.That((await StatusAsync(client))["status"]!.GetValue<string>(), Is.EqualTo("active"));
    }

    [Test]
    public async Task A_user_who_never_subscribed_has_no_card_to_update()
    {
        using var client = App.ClientFor(NewUser());

        using var response = await client.PostAsync("/api/v1/billing/payment-methods/update", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("no_payment_customer"));
    }

    [Test]
    public async Task Paying_the_open_invoice_on_its_hosted_page_with_another_card_ends_the_past_due()
    {
        var (_, client, subscriptionId) = await SubscribedAsync();
        App.Stripe.FailRenewal(subscriptionId);
        await App.SettleAsync();
        var url = (await StatusAsync(client))["action"]!["url"]!.GetValue<string>();

        using var page = new HttpClient();
        var shown = await page.GetStringAsync(url);
        using var paid = await page.PostAsync(url, new FormUrlEncodedContent([KeyValuePair.Create("card", StripeStandIn.CardSucceeds)]));
        await App.SettleAsync();
        var status = await StatusAsync(client);

        Assert.That(shown, Does.Contain("open").And.Contain("Complete 3-D Secure"));
        Assert.That(await paid.Content.ReadAsStringAsync(), Does.Contain("Invoice paid"));
        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(status["action"], Is.Null);
    }
}
