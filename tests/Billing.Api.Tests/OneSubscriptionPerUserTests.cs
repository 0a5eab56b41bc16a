using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;
using Stripe.Checkout;

namespace Billing.Api.Tests;

/// <summary>
/// Stripe lets every open Checkout Session be paid (S3): a user has one open session at a time, and a second live
/// subscription that still appears (a race, or sessions from before) is canceled and refunded at once.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class OneSubscriptionPerUserTests(Database database) : AppFixture(database)
{
    private static string NewUser() => $"u-{Guid.NewGuid():N}"[..18];

    private static async Task<JsonObject> CheckoutAsync(HttpClient client, string tier, string cycle)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = tier, billing_cycle = cycle });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private JsonObject SessionState(string id)
    {
        var session = new SessionService(App.StripeSdk()).Get(id);
        return new JsonObject { ["status"] = session.Status, ["expires_at"] = new DateTimeOffset(session.ExpiresAt).ToUnixTimeSeconds() };
    }

    [Test]
    public async Task The_same_choice_gets_the_open_session_again_and_another_choice_expires_it_first()
    {
        var userId = NewUser();
        using var client = App.ClientFor(userId);

        var first = await CheckoutAsync(client, "starter", "monthly");
        var again = await CheckoutAsync(client, "starter", "monthly");
        var other = await CheckoutAsync(client, "professional", "yearly");

        Assert.That(again["session_id"]!.GetValue<string>(), Is.EqualTo(first["session_id"]!.GetValue<string>()));
        Assert.That(again["checkout_url"]!.GetValue<string>(), Is.EqualTo(first["checkout_url"]!.GetValue<string>()));
        // A command run again after a concurrent change (the expiry's webhook) sends its key again, and Stripe replays.
        Assert.That(App.Stripe.Requests.Matching("POST", "/v1/checkout/sessions").Where(r => r.Form.GetValueOrDefault("client_reference_id") == userId).Select(r => r.IdempotencyKey).Distinct().Count(), Is.EqualTo(2), "one session per choice, the repeat made none");
        Assert.That(SessionState(first["session_id"]!.GetValue<string>())["status"]!.GetValue<string>(), Is.EqualTo("expired"));
        Assert.That(SessionState(other["session_id"]!.GetValue<string>())["status"]!.GetValue<string>(), Is.EqualTo("open"));
        var paidExpired = App.Stripe.CompleteCheckout(first["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        Assert.That(paidExpired.Status, Is.EqualTo(400), "the first session can no longer be paid");
    }

    [Test]
    public async Task Sessions_are_created_to_expire_after_an_hour()
    {
        using var client = App.ClientFor(NewUser());

        var session = await CheckoutAsync(client, "starter", "monthly");

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(SessionState(session["session_id"]!.GetValue<string>())["expires_at"]!.GetValue<long>());
        Assert.That(expiresAt, Is.EqualTo(DateTimeOffset.UtcNow.AddHours(1)).Within(TimeSpan.FromMinutes(1)));
    }

    [Test]
    public async Task After_the_session_expires_in_Stripe_a_new_checkout_opens_a_new_one()
    {
        var userId = NewUser();
        using var client = App.ClientFor(userId);
        var first = await CheckoutAsync(client, "starter", "monthly");
        await new SessionService(App.StripeSdk()).ExpireAsync(first["session_id"]!.GetValue<string>());
        await App.SettleAsync();

        var second = await CheckoutAsync(client, "starter", "monthly");

        Assert.That(second["session_id"]!.GetValue<string>(), Is.Not.EqualTo(first["session_id"]!.GetValue<string>()));
        Assert.That(SessionState(second["session_id"]!.GetValue<string>())["status"]!.GetValue<string>(), Is.EqualTo("open"));
    }

    [Test]
    public async Task Two_sessions_both_paid_leave_one_subscription_the_newer_canceled_and_refunded_and_theAdmin_sees_it()
    {
        var userId = NewUser();
        using var client = App.ClientFor(userId);
        var mine = await CheckoutAsync(client, "starter", "monthly");
        var customerId = App.Stripe.Requests.Matching("POST", "/v1/checkout/sessions").Last(r => r.Form.GetValueOrDefault("client_reference_id") == userId).Form["customer"];

        // A session from before this guard (or a race): opened straight in Stripe for the same customer.
        var price = App.Stripe.Prices().Single(p => p["lookup_key"]?.GetValue<string>() == "professional_monthly")["id"]!.GetValue<string>();
        var stray = await new SessionService(App.StripeSdk()).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customerId,
            ClientReferenceId = userId,
            SuccessUrl = "https://app.example/done",
            LineItems = [new SessionLineItemOptions { Price = price, Quantity = 1 }],
            SubscriptionData = new SessionSubscriptionDataOptions { Metadata = new Dictionary<string, string> { ["keycloak_user_id"] = userId } },
        });
        var first = App.Stripe.CompleteCheckout(mine["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        await Task.Delay(1100);
        var second = App.Stripe.CompleteCheckout(stray.Id, StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();

        var history = await Webhooks.EventuallyAsync(
            async () => (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{userId}"))!["history"]!.AsArray(),
            h => h.Count > 0);
        await App.SettleAsync();
        using var status = await client.GetAsync("/api/v1/billing/subscription-status");
        var view = await status.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(App.Stripe.Subscription(first)!["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(App.Stripe.Subscription(second)!["status"]!.GetValue<string>(), Is.EqualTo("canceled"), "the newer one is canceled at once");
        var refund = App.Stripe.Refunds().Single(r => r["metadata"]?["subscription_id"]?.GetValue<string>() == second);
        Assert.That(refund["amount"]!.GetValue<long>(), Is.EqualTo(4900), "its first payment is refunded in full");
        Assert.That(refund["reason"]!.GetValue<string>(), Is.EqualTo("duplicate"));
        Assert.That(view!["subscription_id"]!.GetValue<string>(), Is.EqualTo(first));
        Assert.That(view["tier_id"]!.GetValue<string>(), Is.EqualTo("starter"));
        Assert.That(history[0]!["kind"]!.GetValue<string>(), Is.EqualTo("duplicate_subscription_canceled"));
        Assert.That(history[0]!["detail"]!.GetValue<string>(), Does.Contain(second).And.Contain(refund["id"]!.GetValue<string>()));
        Assert.That(App.Stripe.Refunds().Count(r => r["metadata"]?["subscription_id"]?.GetValue<string>() == second), Is.EqualTo(1), "redeliveries refund nothing twice");
    }

    [Test]
    public async Task A_completed_checkout_leaves_no_open_session_behind_and_a_second_checkout_is_409()
    {
        var userId = NewUser();
        using var client = App.ClientFor(userId);
        var session = await CheckoutAsync(client, "starter", "monthly");
        App.Stripe.CompleteCheckout(session["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await App.SettleAsync();

        using var again = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });

        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }
}
