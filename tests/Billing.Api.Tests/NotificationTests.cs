using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Mail;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>
/// Users are told by e-mail through the outbox: once per event and address whatever Stripe repeats or reorders,
/// never about a payment that went through meanwhile, parked when the mail server refuses, and replayable.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class NotificationTests(Database database) : AppFixture(database)
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Billing:NotificationDelay"] = "00:00:00.300";
        settings["STRIPE_PORTAL_RETURN_URL"] = "https://app.example/billing";
    }

    [TearDown]
    public void MailServerWorks()
    {
        App.Mail.Refusal = null;
        App.Mail.Unavailable = false;
    }

    private static string NewUser() => $"u-{Guid.NewGuid():N}"[..18];

    private async Task<(string UserId, string Email, HttpClient Client, string SubscriptionId)> SubscribedAsync()
    {
        var userId = NewUser();
        var email = $"{userId}@example.com";
        var client = App.ClientFor(userId, email);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });
        var session = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var completed = App.Stripe.CompleteCheckout(session["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await App.SettleAsync();
        return (userId, email, client, completed.Body["subscription"]!.GetValue<string>());
    }

    /// <summary>The e-mails an address got once the account's outbox holds nothing more to send.</summary>
    private async Task<IReadOnlyList<CapturedMail>> MailAfterOutboxDrainsAsync(string userId, string email)
    {
        await App.SettleAsync();
        await Webhooks.EventuallyAsync(
            async () => (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{userId}"))!["outbox"]!.AsArray(),
            outbox => outbox.All(m => m!["target"]!.GetValue<string>() != "email" || m["status"]!.GetValue<string>() is "delivered" or "parked"));
        return App.Mail.To(email);
    }

    private static IEnumerable<string?> Kinds(IEnumerable<CapturedMail> mail) => mail.Select(m => m.Notification);

    [Test]
    public async Task A_renewal_needing_3D_Secure_sends_one_email_with_the_link_and_paying_sends_no_second()
    {
        var (userId, email, _, subscriptionId) = await SubscribedAsync();
        App.Stripe.RequireAuthenticationForRenewal(subscriptionId);
        var invoiceId = App.Stripe.Subscription(subscriptionId)!["latest_invoice"]!.GetValue<string>();

        var told = await MailAfterOutboxDrainsAsync(userId, email);
        App.Stripe.Authenticate3DSecure(invoiceId);
        var after = await MailAfterOutboxDrainsAsync(userId, email);

        Assert.That(Kinds(told), Is.EqualTo(new[] { "authentication_required" }), "Stripe also sent invoice.payment_failed; the user hears one thing");
        var mail = told.Single();
        Assert.That(mail.Subject, Is.EqualTo("Confirm your payment for Starter"));
        Assert.That(mail.Text, Does.Contain(new Uri(App.Stripe.BaseUrl, $"invoices/{invoiceId}").AbsoluteUri));
        Assert.That(mail.Html, Does.Contain($"href=\"{new Uri(App.Stripe.BaseUrl, $"invoices/{invoiceId}").AbsoluteUri}\""));
        Assert.That(mail.From, Is.EqualTo("billing@example.com"));
        Assert.That(after, Has.Count.EqualTo(1), "paying sends nothing more");
    }

    [Test]
    public async Task A_declined_renewal_tells_the_user_how_to_pay_and_by_when_without_card_details()
    {
        var (userId, email, _, subscriptionId) = await SubscribedAsync();
        App.Stripe.FailRenewal(subscriptionId);
        var invoiceId = App.Stripe.Subscription(subscriptionId)!["latest_invoice"]!.GetValue<string>();

        var told = await MailAfterOutboxDrainsAsync(userId, email);

        var mail = told.Single();
        Assert.That(mail.Notification, Is.EqualTo("payment_failed"));
        Assert.That(mail.Text, Does.Contain($"/invoices/{invoiceId}"));
        Assert.That(mail.Text, Does.Contain("https://app.example/billing"));
        Assert.That(mail.Text, Does.Not.Contain("4242").And.Not.Contain("visa"), "no card data");
    }

    [Test]
    public async Task Duplicated_and_reordered_events_send_each_notice_once()
    {
        var (userId, email, _, subscriptionId) = await SubscribedAsync();

        // Stripe may deliver in any order and more than once: here the failure comes before the 3-D Secure notice, and each twice.
        App.Stripe.Webhooks.Order = DeliveryOrder.Reversed;
        App.Stripe.Webhooks.Copies = 2;
        try
        {
            App.Stripe.RequireAuthenticationForRenewal(subscriptionId);
            await App.SettleAsync();
        }
        finally
        {
            App.Stripe.Webhooks.Order = DeliveryOrder.AsEmitted;
            App.Stripe.Webhooks.Copies = 1;
        }

        var told = await MailAfterOutboxDrainsAsync(userId, email);
        var invoiceId = App.Stripe.Subscription(subscriptionId)!["latest_invoice"]!.GetValue<string>();
        var deliveries = App.Stripe.Webhooks.Deliveries.Where(d => App.Stripe.Events().Any(e => e["id"]!.GetValue<string>() == d.EventId && e["data"]!["object"]!["id"]!.GetValue<string>() == invoiceId)).ToList();

        Assert.That(deliveries.Select(d => d.Type).First(), Is.EqualTo("invoice.payment_failed"), "the failure arrived first");
        Assert.That(deliveries, Has.Count.EqualTo(4));
        Assert.That(Kinds(told), Is.EqualTo(new[] { "authentication_required" }));
    }

    [Test]
    public async Task Cancelling_at_period_end_tells_the_user_when_it_ends_and_an_immediate_end_tells_them_once()
    {
        var (userId, email, client, _) = await SubscribedAsync();

        (await client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { at_period_end = true })).Dispose();
        var ending = await MailAfterOutboxDrainsAsync(userId, email);
        (await client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { at_period_end = false })).Dispose();
        var ended = await MailAfterOutboxDrainsAsync(userId, email);

        Assert.That(Kinds(ending), Is.EqualTo(new[] { "subscription_ending" }));
        Assert.That(ending.Single().Subject, Does.StartWith("Your Starter subscription ends on "));
        Assert.That(Kinds(ended), Is.EqualTo(new[] { "subscription_ending", "subscription_canceled" }));
    }

    [Test]
    public async Task A_cancellation_lifted_before_the_notice_goes_out_is_not_announced()
    {
        await using var slow = await BillingApp.StartWithCatalogAsync(configure: s => s["Billing:NotificationDelay"] = "00:00:02");
        var userId = NewUser();
        var email = $"{userId}@example.com";
        using var client = slow.ClientFor(userId, email);
        var session = (await (await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" })).Content.ReadFromJsonAsync<JsonObject>())!;
        slow.Stripe.CompleteCheckout(session["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await slow.SettleAsync();

        (await client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { at_period_end = true })).Dispose();
        await slow.SettleAsync();
        (await client.PostAsync("/api/v1/billing/subscription/resume", null)).Dispose();
        await slow.SettleAsync();
        using var admin = slow.Admin();
        var outbox = await Webhooks.EventuallyAsync(
            async () => (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{userId}"))!["outbox"]!.AsArray().Where(m => m!["target"]!.GetValue<string>() == "email").ToList(),
            emails => emails.Count == 1 && emails[0]!["status"]!.GetValue<string>() == "delivered",
            TimeSpan.FromSeconds(15));

        Assert.That(slow.Mail.To(email), Is.Empty);
        Assert.That(outbox.Single()!["outcome"]!.GetValue<string>(), Does.Contain("the cancellation was lifted"));
    }

    [Test]
    public async Task A_new_card_is_confirmed_by_email()
    {
        var (userId, email, client, _) = await SubscribedAsync();
        using var response = await client.PostAsync("/api/v1/billing/payment-methods/update", null);
        var update = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        App.Stripe.CompleteCheckout(update["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        var told = await MailAfterOutboxDrainsAsync(userId, email);

        Assert.That(Kinds(told), Is.EqualTo(new[] { "payment_method_updated" }));
        Assert.That(told.Single().Text, Does.Not.Contain("4242"), "no card data");
    }

    [Test]
    public async Task The_end_of_a_trial_is_announced_while_the_user_is_trialing()
    {
        var (userId, email, _, subscriptionId) = await SubscribedAsync();
        App.Stripe.SetSubscriptionStatus(subscriptionId, "trialing");
        using var stripe = App.Anonymous();

        (await Webhooks.PostAsync(stripe, Webhooks.Event("customer.subscription.trial_will_end", App.Stripe.Subscription(subscriptionId)!))).Dispose();
        var told = await MailAfterOutboxDrainsAsync(userId, email);

        Assert.That(Kinds(told), Is.EqualTo(new[] { "trial_ending" }));
        Assert.That(told.Single().Subject, Does.StartWith("Your Starter trial ends on "));
    }

    [Test]
    public async Task A_refusing_mail_server_parks_the_notice_and_a_replay_sends_it_once()
    {
        var (userId, email, _, subscriptionId) = await SubscribedAsync();
        App.Mail.Refusal = "554 5.7.1 Message rejected";
        App.Stripe.FailRenewal(subscriptionId);

        var refused = await MailAfterOutboxDrainsAsync(userId, email);
        var parked = (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/sync-failures"))!
            .Single(m => m!["user_id"]!.GetValue<string>() == userId && m["target"]!.GetValue<string>() == "email")!;
        App.Mail.Refusal = null;
        using var replay = await Admin.PostAsync($"/api/v1/billing/admin/sync-failures/{parked["id"]!.GetValue<string>()}/replay", null);
        var sent = await Webhooks.EventuallyAsync(() => Task.FromResult(App.Mail.To(email)), m => m.Count > 0);
        var settled = await MailAfterOutboxDrainsAsync(userId, email);

        Assert.That(refused, Is.Empty);
        Assert.That(parked["last_error"]!.GetValue<string>(), Does.Contain("554"));
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Accepted).Or.EqualTo(HttpStatusCode.NoContent).Or.EqualTo(HttpStatusCode.OK));
        Assert.That(Kinds(sent), Is.EqualTo(new[] { "payment_failed" }));
        Assert.That(settled, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_mail_server_that_is_down_is_retried_until_it_takes_the_notice()
    {
        var (userId, email, _, subscriptionId) = await SubscribedAsync();
        App.Mail.Unavailable = true;
        App.Stripe.FailRenewal(subscriptionId);
        await App.SettleAsync();
        await Webhooks.EventuallyAsync(
            async () => (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{userId}"))!["outbox"]!.AsArray(),
            outbox => outbox.Any(m => m!["target"]!.GetValue<string>() == "email" && m["attempts"]!.GetValue<int>() >= 1 && m["status"]!.GetValue<string>() == "pending"));

        App.Mail.Unavailable = false;
        var told = await Webhooks.EventuallyAsync(() => Task.FromResult(App.Mail.To(email)), m => m.Count > 0, TimeSpan.FromSeconds(15));

        Assert.That(Kinds(told), Is.EqualTo(new[] { "payment_failed" }));
    }
}
