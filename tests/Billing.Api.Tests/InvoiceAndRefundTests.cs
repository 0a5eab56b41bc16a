using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>
/// The invoice book kept by webhooks (listed without Stripe, never across users) and refunds by an admin, in full
/// or in part, never above what was paid, with dashboard refunds and failed refunds kept right too.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class InvoiceAndRefundTests(Database database) : AppFixture(database)
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Billing:Refunds:ProrateOnCancelNow"] = "true";

    private static string NewUser() => $"u-{Guid.NewGuid():N}"[..18];

    private async Task<(string UserId, HttpClient Client, string SubscriptionId)> SubscribedAsync(string tier = "professional")
    {
        var userId = NewUser();
        var client = App.ClientFor(userId);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = tier, billing_cycle = "monthly" });
        var session = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var completed = App.Stripe.CompleteCheckout(session["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await App.SettleAsync();
        return (userId, client, completed.Body["subscription"]!.GetValue<string>());
    }

    private static async Task<JsonObject> InvoicesAsync(HttpClient client, string query = "") =>
        (await client.GetFromJsonAsync<JsonObject>($"/api/v1/billing/invoices{query}"))!;

    private Task<HttpResponseMessage> RefundAsync(string invoiceId, long? amount = null, string reason = "requested_by_customer", bool cancel = false) =>
        Admin.PostAsJsonAsync("/api/v1/billing/admin/refunds", new { invoice_id = invoiceId, amount, reason, cancel_subscription = cancel });

    private string LatestInvoice(string subscriptionId) => App.Stripe.Subscription(subscriptionId)!["latest_invoice"]!.GetValue<string>();

    [Test]
    public async Task Invoices_arriving_by_webhook_are_listed_newest_first_without_calling_Stripe()
    {
        var (_, client, subscriptionId) = await SubscribedAsync();
        await InvoicesAsync(client);
        App.Stripe.RenewNow(subscriptionId);
        App.Stripe.RenewNow(subscriptionId);
        await App.SettleAsync();
        var before = App.Stripe.Requests.All.Count;

        var page = await InvoicesAsync(client);

        Assert.That(App.Stripe.Requests.All.Count, Is.EqualTo(before), "no Stripe call on reading");
        var invoices = page["data"]!.AsArray();
        Assert.That(invoices, Has.Count.EqualTo(3));
        Assert.That(invoices.Select(i => i!["created"]!.GetValue<DateTimeOffset>()), Is.Ordered.Descending, "newest first");
        Assert.That(invoices.Select(i => i!["id"]!.GetValue<string>()), Does.Contain(LatestInvoice(subscriptionId)));
        var first = invoices.Single(i => i!["id"]!.GetValue<string>() == LatestInvoice(subscriptionId))!;
        Assert.That(first["status"]!.GetValue<string>(), Is.EqualTo("paid"));
        Assert.That(first["amount_paid"]!.GetValue<long>(), Is.EqualTo(4900));
        Assert.That(first["currency"]!.GetValue<string>(), Is.EqualTo("usd"));
        Assert.That(first["number"]!.GetValue<string>(), Does.StartWith("SBX-"));
        Assert.That(first["hosted_invoice_url"]!.GetValue<string>(), Does.EndWith($"/invoices/{first["id"]}"));
        Assert.That(first["invoice_pdf"]!.GetValue<string>(), Does.EndWith("/pdf"));
        Assert.That(first["period_end"], Is.Not.Null);
        Assert.That(page["has_more"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public async Task The_first_listing_brings_in_invoices_from_before_once()
    {
        var userId = NewUser();
        var (customerId, subscriptionId) = App.Stripe.SeedSubscription("starter_monthly", userId);
        App.Stripe.RenewNow(subscriptionId);
        using var stripe = App.Anonymous();
        (await Webhooks.PostAsync(stripe, Webhooks.Event("customer.subscription.created", App.Stripe.Subscription(subscriptionId)!))).Dispose();
        await App.SettleAsync();
        using var client = App.ClientFor(userId);

        var first = await InvoicesAsync(client);
        var again = await InvoicesAsync(client);

        Assert.That(first["data"]!.AsArray(), Has.Count.EqualTo(1), "the renewal's invoice, which no webhook brought here");
        Assert.That(again["data"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(App.Stripe.Requests.All.Count(r => r.Method == "GET" && r.Path == "/v1/invoices" && r.Query.Contains(customerId, StringComparison.Ordinal)), Is.EqualTo(1), "filled once");
    }

    [Test]
    public async Task Invoices_page_by_starting_after_and_never_show_another_user_s()
    {
        var (_, owner, subscriptionId) = await SubscribedAsync();
        App.Stripe.RenewNow(subscriptionId);
        await App.SettleAsync();
        var (_, other, _) = await SubscribedAsync("starter");

        var firstPage = await InvoicesAsync(owner, "?limit=1");
        var secondPage = await InvoicesAsync(owner, $"?limit=1&starting_after={firstPage["data"]![0]!["id"]}");
        var theirs = await InvoicesAsync(other);
        var peek = await InvoicesAsync(other, $"?starting_after={firstPage["data"]![0]!["id"]}");
        using var bad = await owner.GetAsync("/api/v1/billing/invoices?limit=500");

        Assert.That(firstPage["has_more"]!.GetValue<bool>(), Is.True);
        Assert.That(secondPage["data"]![0]!["id"]!.GetValue<string>(), Is.Not.EqualTo(firstPage["data"]![0]!["id"]!.GetValue<string>()));
        Assert.That(secondPage["has_more"]!.GetValue<bool>(), Is.False);
        Assert.That(theirs["data"]!.AsArray().Select(i => i!["amount_paid"]!.GetValue<long>()), Is.EqualTo(new[] { 1900L }), "only their own");
        Assert.That(peek["data"]!.AsArray(), Is.Empty, "another user's invoice id is no cursor");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_partial_refund_then_the_rest_and_then_nothing_more()
    {
        var (userId, client, subscriptionId) = await SubscribedAsync();
        var invoiceId = LatestInvoice(subscriptionId);
        await InvoicesAsync(client);

        using var partial = await RefundAsync(invoiceId, 1000);
        using var rest = await RefundAsync(invoiceId);
        using var more = await RefundAsync(invoiceId, 1);
        await App.SettleAsync();
        var listed = (await InvoicesAsync(client))["data"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == invoiceId)!;

        Assert.That(partial.StatusCode, Is.EqualTo(HttpStatusCode.OK), await partial.Content.ReadAsStringAsync());
        Assert.That((await partial.Content.ReadFromJsonAsync<JsonObject>())!["invoice"]!["amount_refunded"]!.GetValue<long>(), Is.EqualTo(1000));
        var restView = (await rest.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(restView["amount"]!.GetValue<long>(), Is.EqualTo(3900), "all that was left");
        Assert.That(more.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await more.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("nothing_to_refund"));
        Assert.That(listed["amount_refunded"]!.GetValue<long>(), Is.EqualTo(4900), "the webhooks of the same refunds count nothing twice");
        Assert.That(App.Stripe.Refunds().Where(r => r["metadata"]!["invoice_id"]?.GetValue<string>() == invoiceId).Sum(r => r["amount"]!.GetValue<long>()), Is.EqualTo(4900));
        var history = (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{userId}"))!["history"]!.AsArray();
        Assert.That(history.Count(h => h!["kind"]!.GetValue<string>() == "refund"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_refund_over_what_was_paid_is_refused_and_Stripe_is_not_asked()
    {
        var (_, _, subscriptionId) = await SubscribedAsync();
        var invoiceId = LatestInvoice(subscriptionId);
        var refundsBefore = App.Stripe.Requests.Matching("POST", "/v1/refunds").Count;

        using var over = await RefundAsync(invoiceId, 4901);
        using var badReason = await RefundAsync(invoiceId, 100, reason: "because");
        using var unknown = await RefundAsync("in_doesnotexist", 100);

        Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await over.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("refund_exceeds_payment"));
        Assert.That(badReason.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(App.Stripe.Requests.Matching("POST", "/v1/refunds").Count, Is.EqualTo(refundsBefore));
    }

    [Test]
    public async Task A_retried_refund_request_refunds_once()
    {
        var (_, _, subscriptionId) = await SubscribedAsync();
        var invoiceId = LatestInvoice(subscriptionId);

        using var first = await RefundAsync(invoiceId, 500);
        using var retried = await RefundAsync(invoiceId, 500);

        var firstId = (await first.Content.ReadFromJsonAsync<JsonObject>())!["refund_id"]!.GetValue<string>();
        Assert.That((await retried.Content.ReadFromJsonAsync<JsonObject>())!["refund_id"]!.GetValue<string>(), Is.EqualTo(firstId));
        Assert.That(App.Stripe.Refunds().Count(r => r["metadata"]!["invoice_id"]?.GetValue<string>() == invoiceId), Is.EqualTo(1));
    }

    [Test]
    public async Task A_refund_can_end_the_subscription_at_once()
    {
        var (_, client, subscriptionId) = await SubscribedAsync();

        using var response = await RefundAsync(LatestInvoice(subscriptionId), cancel: true, reason: "fraudulent");
        var view = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var status = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!;

        Assert.That(view["subscription_canceled"]!.GetValue<bool>(), Is.True);
        Assert.That(App.Stripe.Subscription(subscriptionId)!["status"]!.GetValue<string>(), Is.EqualTo("canceled"));
        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("canceled"));
    }

    [Test]
    public async Task A_refund_made_in_Stripe_s_dashboard_and_one_that_fails_keep_the_invoice_right()
    {
        var (_, client, subscriptionId) = await SubscribedAsync();
        var invoiceId = LatestInvoice(subscriptionId);
        await InvoicesAsync(client);
        var payment = App.StripeSdk();
        var paid = await new Stripe.InvoicePaymentService(payment).ListAsync(new Stripe.InvoicePaymentListOptions { Invoice = invoiceId });

        var dashboard = await new Stripe.RefundService(payment).CreateAsync(new Stripe.RefundCreateOptions { PaymentIntent = paid.Data[0].Payment.PaymentIntentId, Amount = 700 });
        await App.SettleAsync();
        var afterRefund = (await InvoicesAsync(client))["data"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == invoiceId)!["amount_refunded"]!.GetValue<long>();
        App.Stripe.FailRefund(dashboard.Id);
        await App.SettleAsync();
        var afterFailure = (await InvoicesAsync(client))["data"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == invoiceId)!["amount_refunded"]!.GetValue<long>();

        Assert.That(afterRefund, Is.EqualTo(700));
        Assert.That(afterFailure, Is.Zero, "a failed refund returned nothing");
    }

    [Test]
    public async Task Cancelling_now_refunds_the_unused_part_of_the_period_when_configured()
    {
        var (_, client, subscriptionId) = await SubscribedAsync();
        var invoiceId = LatestInvoice(subscriptionId);

        using var canceled = await client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { at_period_end = false });
        await App.SettleAsync();

        Assert.That(canceled.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var refund = App.Stripe.Refunds().Single(r => r["metadata"]!["invoice_id"]?.GetValue<string>() == invoiceId);
        Assert.That(refund["amount"]!.GetValue<long>(), Is.InRange(4890, 4900), "nearly the whole month was unused");
        Assert.That(refund["reason"]!.GetValue<string>(), Is.EqualTo("requested_by_customer"));
    }
}
