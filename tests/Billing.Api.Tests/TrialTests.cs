using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>
/// Free trials from the catalog's TrialDays: started by checkout (here without a card), granting the tier, given once
/// per user, extended by an admin in Stripe, and ended by Stripe, with Keycloak and Lago following.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class TrialTests(Database database) : AppFixture(database)
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Billing:Catalog:Tiers:professional:TrialDays"] = "14";
        settings["Billing:Trials:RequireCard"] = "false";
        settings["Billing:Trials:MaxExtensionDays"] = "30";
        settings["Billing:NotificationDelay"] = "00:00:00.200";
    }

    private static string NewUser() => $"u-{Guid.NewGuid():N}"[..18];

    private static async Task<JsonObject> CheckoutAsync(HttpClient client, string tier = "professional")
    {
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = tier, billing_cycle = "monthly" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>A user who started the professional trial without giving a card.</summary>
    private async Task<(string UserId, HttpClient Client, string SubscriptionId, JsonObject Checkout)> TrialingAsync()
    {
        var userId = NewUser();
        App.Keycloak.AddUser(userId, $"{userId}@example.com", id: userId);
        var client = App.ClientFor(userId, $"{userId}@example.com");
        var checkout = await CheckoutAsync(client);
        var completed = App.Stripe.CompleteCheckout(checkout["session_id"]!.GetValue<string>(), card: string.Empty);
        Assert.That(completed.Status, Is.EqualTo(200), completed.Body.ToJsonString());
        await App.SettleAsync();
        return (userId, client, completed.Body["subscription"]!.GetValue<string>(), checkout);
    }

    private static async Task<JsonObject> StatusAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!;

    private string? Keycloak(string userId, string attribute) =>
        App.Keycloak.FindUser(userId)?.Attributes.GetValueOrDefault(attribute)?.Single();

    [Test]
    public async Task The_catalog_shows_which_tiers_start_with_a_free_trial()
    {
        var plans = (await App.Anonymous().GetFromJsonAsync<JsonObject>("/api/v1/billing/plans"))!["plans"]!.AsArray();

        Assert.That(plans.Single(p => p!["tier_id"]!.GetValue<string>() == "professional")!["trial_days"]!.GetValue<int>(), Is.EqualTo(14));
        Assert.That(plans.Single(p => p!["tier_id"]!.GetValue<string>() == "trial")!["trial_days"]!.GetValue<int>(), Is.Zero, "the $1 trial tier is a paid tier");
    }

    [Test]
    public async Task Checkout_starts_a_free_trial_without_a_card_that_grants_the_tier()
    {
        var (userId, client, subscriptionId, checkout) = await TrialingAsync();

        var status = await StatusAsync(client);

        var sent = App.Stripe.Requests.Single("POST", "/v1/checkout/sessions", r => r.Form.GetValueOrDefault("client_reference_id") == userId).Form;
        Assert.That(sent["subscription_data[trial_period_days]"], Is.EqualTo("14"));
        Assert.That(sent["payment_method_collection"], Is.EqualTo("if_required"));
        Assert.That(sent["subscription_data[trial_settings][end_behavior][missing_payment_method]"], Is.EqualTo("cancel"));
        Assert.That(checkout["trial_days"]!.GetValue<int>(), Is.EqualTo(14));
        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("trialing"));
        Assert.That(status["on_free_trial"]!.GetValue<bool>(), Is.True);
        Assert.That(status["trial_end"]!.GetValue<DateTimeOffset>(), Is.EqualTo(DateTimeOffset.UtcNow.AddDays(14)).Within(TimeSpan.FromMinutes(1)));
        Assert.That(status["access_tier"]!.GetValue<string>(), Is.EqualTo("professional"));
        Assert.That(status["subscription_id"]!.GetValue<string>(), Is.EqualTo(subscriptionId));
        Assert.That(await Webhooks.EventuallyAsync(() => Task.FromResult(Keycloak(userId, "subscription_tier")), t => t == "professional"), Is.EqualTo("professional"));
    }

    [Test]
    public async Task A_trial_that_ends_without_a_card_is_canceled_and_Keycloak_and_Lago_follow()
    {
        var (userId, client, subscriptionId, _) = await TrialingAsync();
        await Webhooks.EventuallyAsync(() => Task.FromResult(App.Lago.Subscriptions.GetValueOrDefault(subscriptionId)?["status"]?.GetValue<string>()), s => s == "active");

        App.Stripe.EndTrial(subscriptionId);
        await App.SettleAsync();
        var status = await StatusAsync(client);

        Assert.That(App.Stripe.Subscription(subscriptionId)!["status"]!.GetValue<string>(), Is.EqualTo("canceled"));
        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("canceled"));
        Assert.That(status["access_tier"]!.GetValue<string>(), Is.EqualTo("trial"));
        Assert.That(status["on_free_trial"]!.GetValue<bool>(), Is.False);
        Assert.That(await Webhooks.EventuallyAsync(() => Task.FromResult(Keycloak(userId, "subscription_status")), s => s == "canceled"), Is.EqualTo("canceled"));
        Assert.That(Keycloak(userId, "subscription_tier"), Is.EqualTo("trial"));
        Assert.That(await Webhooks.EventuallyAsync(() => Task.FromResult(App.Lago.Subscriptions[subscriptionId]["status"]!.GetValue<string>()), s => s == "terminated"), Is.EqualTo("terminated"));
    }

    [Test]
    public async Task A_card_on_file_when_the_trial_ends_is_charged_and_the_subscription_goes_on()
    {
        var (_, client, subscriptionId, _) = await TrialingAsync();
        using var update = await client.PostAsync("/api/v1/billing/payment-methods/update", null);
        App.Stripe.CompleteCheckout((await update.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await App.SettleAsync();

        App.Stripe.EndTrial(subscriptionId);
        await App.SettleAsync();
        var status = await StatusAsync(client);

        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(status["access_tier"]!.GetValue<string>(), Is.EqualTo("professional"));
    }

    [Test]
    public async Task A_second_trial_is_refused_so_the_next_checkout_charges_at_once()
    {
        var (userId, client, subscriptionId, _) = await TrialingAsync();
        App.Stripe.EndTrial(subscriptionId);
        await App.SettleAsync();

        var again = await CheckoutAsync(client);

        var sent = App.Stripe.Requests.Matching("POST", "/v1/checkout/sessions").Last(r => r.Form.GetValueOrDefault("client_reference_id") == userId).Form;
        Assert.That(sent.ContainsKey("subscription_data[trial_period_days]"), Is.False);
        Assert.That(sent.ContainsKey("payment_method_collection"), Is.False);
        Assert.That(again["trial_days"], Is.Null);
    }

    [Test]
    public async Task An_admin_extension_moves_trial_end_in_Stripe_once_per_request_and_records_it()
    {
        var (userId, client, subscriptionId, _) = await TrialingAsync();
        var before = App.Stripe.Subscription(subscriptionId)!["trial_end"]!.GetValue<long>();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/billing/admin/accounts/{userId}/trial/extend") { Content = JsonContent.Create(new { days = 7 }) };
        request.Headers.Add("Idempotency-Key", $"extend-{userId}");
        var retry = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/billing/admin/accounts/{userId}/trial/extend") { Content = JsonContent.Create(new { days = 7 }) };
        retry.Headers.Add("Idempotency-Key", $"extend-{userId}");

        using var extended = await Admin.SendAsync(request);
        using var repeated = await Admin.SendAsync(retry);
        var status = await StatusAsync(client);

        Assert.That(extended.StatusCode, Is.EqualTo(HttpStatusCode.OK), await extended.Content.ReadAsStringAsync());
        Assert.That(repeated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(App.Stripe.Subscription(subscriptionId)!["trial_end"]!.GetValue<long>(), Is.EqualTo(before + (7 * 86400)), "moved once");
        Assert.That(App.Stripe.Requests.Matching("POST", $"/v1/subscriptions/{subscriptionId}").Count(r => r.Form.ContainsKey("trial_end")), Is.EqualTo(1));
        Assert.That(status["trial_end"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds(), Is.EqualTo(before + (7 * 86400)));
        var history = (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{userId}"))!["history"]!.AsArray();
        Assert.That(history.Single(h => h!["kind"]!.GetValue<string>() == "trial_extended")!["detail"]!.GetValue<string>(), Does.Contain("7 days").And.Contain("admin-1"));
    }

    [TestCase(0)]
    [TestCase(31)]
    public async Task An_extension_out_of_range_is_400_and_changes_nothing(int days)
    {
        var (userId, _, subscriptionId, _) = await TrialingAsync();
        var before = App.Stripe.Subscription(subscriptionId)!["trial_end"]!.GetValue<long>();

        using var response = await Admin.PostAsJsonAsync($"/api/v1/billing/admin/accounts/{userId}/trial/extend", new { days });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(App.Stripe.Subscription(subscriptionId)!["trial_end"]!.GetValue<long>(), Is.EqualTo(before));
    }

    [Test]
    public async Task Only_a_running_trial_can_be_extended()
    {
        var userId = NewUser();
        using var client = App.ClientFor(userId);
        var checkout = await CheckoutAsync(client, "starter");
        App.Stripe.CompleteCheckout(checkout["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await App.SettleAsync();

        using var active = await Admin.PostAsJsonAsync($"/api/v1/billing/admin/accounts/{userId}/trial/extend", new { days = 3 });
        using var unknown = await Admin.PostAsJsonAsync("/api/v1/billing/admin/accounts/nobody-at-all/trial/extend", new { days = 3 });

        Assert.That(active.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await active.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("not_trialing"));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Stripe_s_notice_before_the_trial_ends_emails_the_user()
    {
        var (userId, _, subscriptionId, _) = await TrialingAsync();

        App.Stripe.TrialWillEnd(subscriptionId);
        await App.SettleAsync();
        var mail = await Webhooks.EventuallyAsync(() => Task.FromResult(App.Mail.To($"{userId}@example.com")), m => m.Count > 0);

        Assert.That(mail.Single().Notification, Is.EqualTo("trial_ending"));
        Assert.That(mail.Single().Subject, Does.StartWith("Your Professional trial ends on "));
    }
}
