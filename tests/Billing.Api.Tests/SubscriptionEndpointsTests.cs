using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Common;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>The seven endpoints the SPA calls, end to end against the Stripe stand-in, with the Stripe requests they send.</summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class SubscriptionEndpointsTests(Database database)
{
    private BillingApp _app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _app = await BillingApp.StartAsync(database, s =>
        {
            s["STRIPE_SUCCESS_URL"] = "https://app.example/billing/done?from=checkout#top";
            s["Billing:Webhooks:PollInterval"] = "00:00:00.050";
        });
        await _app.PublishCatalogAsync();
        _app.DeliverStripeWebhooksHere();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _app.DisposeAsync();

    [TearDown]
    public void ClearFaults() => _app.Stripe.Faults.Clear();

    private static string NewUser() => $"u-{Guid.NewGuid():N}"[..18];

    private static Task<HttpResponseMessage> CheckoutAsync(HttpClient client, string tier = "professional", string cycle = "monthly", string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/checkout/create") { Content = JsonContent.Create(new { tier_id = tier, billing_cycle = cycle }) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return client.SendAsync(request);
    }

    /// <summary>A user with a paid, active subscription, linked through the real webhook path.</summary>
    private async Task<(string UserId, HttpClient Client, string SubscriptionId)> SubscribedUserAsync(string tier = "starter", string cycle = "monthly")
    {
        var userId = NewUser();
        var client = _app.ClientFor(userId);
        var session = await (await CheckoutAsync(client, tier, cycle)).Content.ReadFromJsonAsync<JsonObject>();
        var completed = _app.Stripe.CompleteCheckout(session!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await _app.SettleAsync();
        return (userId, client, completed.Body["subscription"]!.GetValue<string>());
    }

    [Test]
    public async Task Checkout_sends_Stripe_exactly_the_session_the_user_chose()
    {
        var userId = NewUser();
        using var client = _app.ClientFor(userId, "buyer@example.com");

        using var response = await CheckoutAsync(client, "professional", "yearly");
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body!["checkout_url"]!.GetValue<string>(), Does.StartWith(_app.Stripe.BaseUrl.AbsoluteUri));
        // A request Stripe.net sent again (its own retry on a slow answer) carries the same key and counts once.
        var customer = _app.Stripe.Requests.Single("POST", "/v1/customers", r => r.Form.GetValueOrDefault("metadata[keycloak_user_id]") == userId);
        Assert.That(customer.IdempotencyKey, Is.EqualTo($"billing-customer-{userId}"));
        Assert.That(customer.Form["email"], Is.EqualTo("buyer@example.com"));
        var session = _app.Stripe.Requests.Single("POST", "/v1/checkout/sessions", r => r.Form.GetValueOrDefault("client_reference_id") == userId).Form;
        var yearly = _app.Stripe.Prices().Single(p => p["lookup_key"]?.GetValue<string>() == "professional_yearly");
        Assert.That(session["mode"], Is.EqualTo("subscription"));
        Assert.That(session["line_items[0][price]"], Is.EqualTo(yearly["id"]!.GetValue<string>()), "the yearly price, not the monthly one");
        Assert.That(session["line_items[0][quantity]"], Is.EqualTo("1"));
        Assert.That(session["metadata[keycloak_user_id]"], Is.EqualTo(userId));
        Assert.That(session["metadata[tier]"], Is.EqualTo("professional"));
        Assert.That(session["metadata[billing_cycle]"], Is.EqualTo("yearly"));
        Assert.That(session["subscription_data[metadata][tier]"], Is.EqualTo("professional"));
        Assert.That(session["subscription_data[metadata][keycloak_user_id]"], Is.EqualTo(userId));
        Assert.That(session["success_url"], Is.EqualTo("https://app.example/billing/done?from=checkout&session_id={CHECKOUT_SESSION_ID}#top"));
        Assert.That(session["customer"], Does.StartWith("cus_"));
    }

    [Test]
    public async Task A_user_with_a_live_subscription_gets_409_pointing_to_upgrade_or_the_portal()
    {
        var (_, client, _) = await SubscribedUserAsync();

        using var response = await CheckoutAsync(client, "enterprise");
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("/subscription/upgrade").And.Contain("portal"));
    }

    [Test]
    public async Task Concurrent_first_checkouts_of_one_user_create_exactly_one_Stripe_customer()
    {
        var userId = NewUser();
        var before = _app.Stripe.CustomerCount;

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var client = _app.ClientFor(userId);
            using var response = await CheckoutAsync(client);
            return response.StatusCode;
        }));

        Assert.That(responses, Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(_app.Stripe.CustomerCount - before, Is.EqualTo(1));
        var customers = _app.Stripe.Requests.Matching("POST", "/v1/checkout/sessions").Where(r => r.Form.GetValueOrDefault("client_reference_id") == userId).Select(r => r.Form["customer"]).Distinct();
        Assert.That(customers.Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_retry_with_the_same_idempotency_key_returns_the_first_answer_without_calling_Stripe_again()
    {
        var userId = NewUser();
        using var client = _app.ClientFor(userId);
        var key = Guid.NewGuid().ToString();

        var first = await (await CheckoutAsync(client, key: key)).Content.ReadFromJsonAsync<JsonObject>();
        using var retry = await CheckoutAsync(client, key: key);
        var second = await retry.Content.ReadFromJsonAsync<JsonObject>();
        using var other = await CheckoutAsync(client, "starter", key: key);

        Assert.That(second!["session_id"]!.GetValue<string>(), Is.EqualTo(first!["session_id"]!.GetValue<string>()));
        Assert.That(retry.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
        Assert.That(_app.Stripe.Requests.Matching("POST", "/v1/checkout/sessions").Count(r => r.Form.GetValueOrDefault("client_reference_id") == userId), Is.EqualTo(1));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), "the same key for another request");
    }

    private static IEnumerable<TestCaseData> BadCheckouts()
    {
        yield return new TestCaseData("{\"tier_id\":\"gold\",\"billing_cycle\":\"monthly\"}", "tier_id").SetName("An unknown tier is 400 naming tier_id");
        yield return new TestCaseData("{\"tier_id\":\"starter\",\"billing_cycle\":\"weekly\"}", "billing_cycle").SetName("An unknown cycle is 400 naming billing_cycle");
        yield return new TestCaseData("{\"tier_id\":\"trial\",\"billing_cycle\":\"yearly\"}", "billing_cycle").SetName("A tier without a price for the cycle is 400");
        yield return new TestCaseData("{\"billing_cycle\":\"monthly\"}", "tier_id").SetName("A missing tier is 400 naming tier_id");
        yield return new TestCaseData($"{{\"tier_id\":\"{new string('p', 5000)}\",\"billing_cycle\":\"monthly\"}}", "tier_id").SetName("An extra long tier is 400 naming tier_id");
        yield return new TestCaseData("{\"tier_id\":7,\"billing_cycle\":\"monthly\"}", "tier_id").SetName("A tier of the wrong type is 400 naming tier_id");
        yield return new TestCaseData("{\"tier_id\":\"starter\",\"billing_cycle\":\"monthly\",\"coupon\":\"FREE\"}", "coupon").SetName("An unknown field is 400 naming it");
        yield return new TestCaseData("[1,2]", null).SetName("A body of the wrong shape is 400");
    }

    [TestCaseSource(nameof(BadCheckouts))]
    public async Task Bad_checkout_input(string body, string? field)
    {
        var userId = NewUser();
        using var client = _app.ClientFor(userId);

        using var response = await client.PostAsync("/api/v1/billing/checkout/create", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        if (field is not null)
        {
            Assert.That(problem!["errors"]!.AsObject().Select(e => e.Key), Does.Contain(field));
        }

        Assert.That(problem!.ToJsonString(), Does.Not.Contain("System.").And.Not.Contain("Exception"));
        Assert.That(_app.Stripe.Requests.All.Any(r => r.Body.Contains(userId, StringComparison.Ordinal)), Is.False, "nothing reached Stripe");
    }

    [Test]
    public async Task The_portal_and_the_saved_cards_are_the_callers()
    {
        var (_, client, _) = await SubscribedUserAsync();

        var portal = await (await client.PostAsync("/api/v1/billing/portal/create", null)).Content.ReadFromJsonAsync<JsonObject>();
        var cards = await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/payment-methods");

        Assert.That(portal!["portal_url"]!.GetValue<string>(), Does.Contain("/portal/"));
        var card = cards!["payment_methods"]![0]!;
        Assert.That(card["brand"]!.GetValue<string>(), Is.EqualTo("visa"));
        Assert.That(card["last4"]!.GetValue<string>(), Is.EqualTo("4242"));
        Assert.That(card["exp_year"]!.GetValue<int>(), Is.GreaterThan(2026));
        Assert.That(card["is_default"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task The_default_card_is_the_subscriptions_own_before_the_customers()
    {
        var (_, client, subscriptionId) = await SubscribedUserAsync();

        // The customer's default changes (say, in the portal); the subscription still charges the card it holds.
        _app.Stripe.ReplaceDefaultCard(_app.Stripe.Subscription(subscriptionId)!["customer"]!.GetValue<string>(), "5555555555554444");
        var cards = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/payment-methods"))!["payment_methods"]!.AsArray();

        Assert.That(cards.Single(c => c!["last4"]!.GetValue<string>() == "4242")!["is_default"]!.GetValue<bool>(), Is.True);
        Assert.That(cards.Single(c => c!["last4"]!.GetValue<string>() == "4444")!["is_default"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public async Task An_upgrade_keeps_a_scheduled_cancellation_and_says_so_unless_told_to_lift_it()
    {
        var (_, client, subscriptionId) = await SubscribedUserAsync("starter", "monthly");
        using var cancel = await client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { at_period_end = true });
        await _app.SettleAsync();

        using var kept = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "professional", billing_cycle = "monthly" });
        var keptView = await kept.Content.ReadFromJsonAsync<JsonObject>();
        using var lifted = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "enterprise", billing_cycle = "monthly", keep_cancellation = false });
        var liftedView = await lifted.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(keptView!["cancel_at_period_end"]!.GetValue<bool>(), Is.True, "the answer says the cancellation still stands");
        Assert.That(liftedView!["cancel_at_period_end"]!.GetValue<bool>(), Is.False);
        Assert.That(_app.Stripe.Subscription(subscriptionId)!["cancel_at_period_end"]!.GetValue<bool>(), Is.False);
        Assert.That(_app.Stripe.Requests.Matching("POST", $"/v1/subscriptions/{subscriptionId}").Last().Form["cancel_at_period_end"], Is.EqualTo("false"));
    }

    [Test]
    public async Task Resume_lifts_a_cancellation_scheduled_for_the_period_end()
    {
        var (_, client, subscriptionId) = await SubscribedUserAsync();
        (await client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { at_period_end = true })).Dispose();

        using var resumed = await client.PostAsync("/api/v1/billing/subscription/resume", null);
        var view = await resumed.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(resumed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(view!["cancel_at_period_end"]!.GetValue<bool>(), Is.False);
        Assert.That(view["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(_app.Stripe.Subscription(subscriptionId)!["cancel_at_period_end"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public async Task Resume_brings_a_paused_subscription_back_to_active_and_to_its_tier()
    {
        var (_, client, subscriptionId) = await SubscribedUserAsync("professional");
        _app.Stripe.PauseSubscription(subscriptionId);
        await _app.SettleAsync();
        var paused = await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status");

        using var resumed = await client.PostAsync("/api/v1/billing/subscription/resume", null);
        var view = await resumed.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(paused!["status"]!.GetValue<string>(), Is.EqualTo("paused"));
        Assert.That(paused["access_tier"]!.GetValue<string>(), Is.EqualTo("trial"), "a paused subscription grants nothing");
        Assert.That(resumed.StatusCode, Is.EqualTo(HttpStatusCode.OK), view?.ToJsonString());
        Assert.That(view!["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(view["access_tier"]!.GetValue<string>(), Is.EqualTo("professional"));
        var resumes = _app.Stripe.Requests.Matching("POST", $"/v1/subscriptions/{subscriptionId}/resume");
        Assert.That(resumes, Is.Not.Empty);
        Assert.That(resumes.Select(r => r.IdempotencyKey).Distinct().ToList(), Has.Count.EqualTo(1).And.None.Null, "one resumption, however often a re-run asked");
    }

    [Test]
    public async Task Resume_with_nothing_to_resume_is_409_and_without_a_subscription_404()
    {
        var (_, client, subscriptionId) = await SubscribedUserAsync();
        using var nobody = _app.ClientFor(NewUser());
        var before = _app.Stripe.Requests.Matching("POST", $"/v1/subscriptions/{subscriptionId}").Count;

        using var nothing = await client.PostAsync("/api/v1/billing/subscription/resume", null);
        using var none = await nobody.PostAsync("/api/v1/billing/subscription/resume", null);

        Assert.That(nothing.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await nothing.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("nothing_to_resume"));
        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(_app.Stripe.Requests.Matching("POST", $"/v1/subscriptions/{subscriptionId}").Count, Is.EqualTo(before), "Stripe was not asked");
    }

    [Test]
    public async Task A_user_without_a_customer_has_no_cards_and_Stripe_is_not_asked()
    {
        var userId = NewUser();
        using var client = _app.ClientFor(userId);
        var before = _app.Stripe.Requests.All.Count;

        var cards = await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/payment-methods");

        Assert.That(cards!["payment_methods"]!.AsArray(), Is.Empty);
        Assert.That(_app.Stripe.Requests.All.Count, Is.EqualTo(before));
    }

    [Test]
    public async Task The_status_is_answered_from_the_store_without_calling_Stripe()
    {
        var (_, client, subscriptionId) = await SubscribedUserAsync("starter", "yearly");
        var before = _app.Stripe.Requests.All.Count;

        var status = await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status");

        Assert.That(_app.Stripe.Requests.All.Count, Is.EqualTo(before));
        Assert.That(status!["subscription_id"]!.GetValue<string>(), Is.EqualTo(subscriptionId));
        Assert.That(status["tier_id"]!.GetValue<string>(), Is.EqualTo("starter"));
        Assert.That(status["billing_cycle"]!.GetValue<string>(), Is.EqualTo("yearly"));
        Assert.That(status["amount"]!.GetValue<long>(), Is.EqualTo(19000));
        Assert.That(status["currency"]!.GetValue<string>(), Is.EqualTo("usd"));
        var plans = await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/plans");
        Assert.That(plans!["current"]!["tier_id"]!.GetValue<string>(), Is.EqualTo("starter"));
        Assert.That(plans["current"]!["billing_cycle"]!.GetValue<string>(), Is.EqualTo("yearly"));
    }

    [Test]
    public async Task Cancelling_at_period_end_keeps_access_until_then()
    {
        var (_, client, subscriptionId) = await SubscribedUserAsync();

        using var response = await client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { });
        var status = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(status!["cancel_at_period_end"]!.GetValue<bool>(), Is.True);
        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("active"));
        var update = _app.Stripe.Requests.Matching("POST", $"/v1/subscriptions/{subscriptionId}").Last();
        Assert.That(update.Form["cancel_at_period_end"], Is.EqualTo("true"));
    }

    [Test]
    public async Task Cancelling_now_ends_the_subscription()
    {
        var (_, client, subscriptionId) = await SubscribedUserAsync();

        using var response = await client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { subscription_id = subscriptionId, at_period_end = false });
        var status = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(status!["status"]!.GetValue<string>(), Is.EqualTo("canceled"));
        Assert.That(status["tier_id"]!.GetValue<string>(), Is.EqualTo("trial"));
        // Stripe's own event of the cancellation may save the account first; the command then runs again and asks
        // again with the same idempotency key, which Stripe answers once: one cancellation.
        var cancellations = _app.Stripe.Requests.Matching("DELETE", $"/v1/subscriptions/{subscriptionId}");
        Assert.That(cancellations, Is.Not.Empty);
        Assert.That(cancellations.Select(r => r.IdempotencyKey).Distinct().ToList(), Has.Count.EqualTo(1).And.None.Null, "one cancellation, however often asked");
    }

    [Test]
    public async Task Another_users_subscription_id_is_404_and_changes_nothing()
    {
        var (_, _, victimSubscription) = await SubscribedUserAsync();
        var (_, attacker, _) = await SubscribedUserAsync();
        var before = _app.Stripe.Requests.All.Count;

        using var response = await attacker.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { subscription_id = victimSubscription, at_period_end = false });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(_app.Stripe.Requests.All.Count, Is.EqualTo(before), "no Stripe call");
        Assert.That(_app.Stripe.Subscription(victimSubscription)!["status"]!.GetValue<string>(), Is.EqualTo("active"));
    }

    [Test]
    public async Task An_upgrade_prorates_and_replaces_the_tier_in_metadata_in_the_same_call()
    {
        var (_, client, subscriptionId) = await SubscribedUserAsync("starter", "monthly");

        var preview = await (await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade/preview", new { new_tier_id = "professional", billing_cycle = "monthly" })).Content.ReadFromJsonAsync<JsonObject>();
        using var response = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "professional", billing_cycle = "monthly" });
        var status = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(preview!["proration_amount"]!.GetValue<long>(), Is.InRange(2900L, 3000L), "49 - 19 dollars for a nearly whole month");
        Assert.That(preview["lines"]!.AsArray().Count(l => l!["proration"]!.GetValue<bool>()), Is.EqualTo(2));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(status!["tier_id"]!.GetValue<string>(), Is.EqualTo("professional"));
        var update = _app.Stripe.Requests.Matching("POST", $"/v1/subscriptions/{subscriptionId}").Last().Form;
        var pro = _app.Stripe.Prices().Single(p => p["lookup_key"]?.GetValue<string>() == "professional_monthly")["id"]!.GetValue<string>();
        Assert.That(update["items[0][price]"], Is.EqualTo(pro));
        Assert.That(update["items[0][id]"], Does.StartWith("si_"));
        Assert.That(update["proration_behavior"], Is.EqualTo("create_prorations"));
        Assert.That(update["metadata[tier]"], Is.EqualTo("professional"));
        Assert.That(_app.Stripe.Subscription(subscriptionId)!["metadata"]!["tier"]!.GetValue<string>(), Is.EqualTo("professional"));
    }

    [Test]
    public async Task Changing_to_the_plan_already_held_is_409_and_without_a_subscription_404()
    {
        var (_, client, _) = await SubscribedUserAsync("starter", "monthly");
        using var nobody = _app.ClientFor(NewUser());

        using var same = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "starter", billing_cycle = "monthly" });
        using var none = await nobody.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "starter", billing_cycle = "monthly" });

        Assert.That(same.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Stripe_failures_map_to_clear_problems_without_Stripes_text()
    {
        using var client = _app.ClientFor(NewUser());
        _app.Stripe.Faults.FailNext(3, FaultKind.ServerError, "/v1/customers");
        using var down = await CheckoutAsync(client);
        _app.Stripe.Faults.FailNext(10, FaultKind.TooManyRequests, "/v1/customers");
        using var limited = await CheckoutAsync(client);
        _app.Stripe.Faults.Clear();

        Assert.That(down.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(await down.Content.ReadAsStringAsync(), Does.Not.Contain("Injected"));
        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(limited.Headers.RetryAfter, Is.Not.Null);
    }
}
