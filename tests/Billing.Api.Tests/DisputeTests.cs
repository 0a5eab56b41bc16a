using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>
/// Disputes from charge.dispute.* webhooks: shown on the account and to admins, told to the operator, and (when
/// configured) suspending access while open, restored when won.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class DisputeTests(Database database) : AppFixture(database)
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Billing:Disputes:SuspendAccess"] = "true";
        settings["Billing:Disputes:NotifyEmail"] = "billing-team@example.com";
        settings["Billing:NotificationDelay"] = "00:00:00.100";
    }

    private static string NewUser() => $"u-{Guid.NewGuid():N}"[..18];

    private async Task<(string UserId, HttpClient Client, string InvoiceId)> SubscribedAsync()
    {
        var userId = NewUser();
        App.Keycloak.AddUser(userId, $"{userId}@example.com", id: userId);
        var client = App.ClientFor(userId, $"{userId}@example.com");
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "professional", billing_cycle = "monthly" });
        var session = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var completed = App.Stripe.CompleteCheckout(session["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await App.SettleAsync();
        return (userId, client, App.Stripe.Subscription(completed.Body["subscription"]!.GetValue<string>())!["latest_invoice"]!.GetValue<string>());
    }

    private string? KeycloakTier(string userId) => App.Keycloak.FindUser(userId)?.Attributes.GetValueOrDefault("subscription_tier")?.Single();

    private static async Task<string> AccessAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!["access_tier"]!.GetValue<string>();

    [Test]
    public async Task A_dispute_suspends_access_while_open_and_winning_it_restores_access()
    {
        var (userId, client, invoiceId) = await SubscribedAsync();

        var disputeId = App.Stripe.DisputeInvoice(invoiceId).Body["id"]!.GetValue<string>();
        await App.SettleAsync();
        var whileOpen = await AccessAsync(client);
        var keycloakWhileOpen = await Webhooks.EventuallyAsync(() => Task.FromResult(KeycloakTier(userId)), t => t == "trial");
        var open = (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/disputes?status=open"))!;
        App.Stripe.CloseDispute(disputeId, "won");
        await App.SettleAsync();
        var afterWin = await AccessAsync(client);
        var keycloakAfterWin = await Webhooks.EventuallyAsync(() => Task.FromResult(KeycloakTier(userId)), t => t == "professional");
        var closed = (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/disputes?status=closed"))!;

        Assert.That(whileOpen, Is.EqualTo("trial"));
        Assert.That(keycloakWhileOpen, Is.EqualTo("trial"));
        var listed = open.Single(d => d!["id"]!.GetValue<string>() == disputeId)!;
        Assert.That(listed["user_id"]!.GetValue<string>(), Is.EqualTo(userId));
        Assert.That(listed["invoice_id"]!.GetValue<string>(), Is.EqualTo(invoiceId));
        Assert.That(listed["amount"]!.GetValue<long>(), Is.EqualTo(4900));
        Assert.That(listed["due_by"], Is.Not.Null);
        Assert.That(afterWin, Is.EqualTo("professional"));
        Assert.That(keycloakAfterWin, Is.EqualTo("professional"));
        Assert.That(closed.Single(d => d!["id"]!.GetValue<string>() == disputeId)!["status"]!.GetValue<string>(), Is.EqualTo("won"));
    }

    [Test]
    public async Task A_lost_dispute_keeps_access_suspended_and_the_account_shows_it()
    {
        var (userId, client, invoiceId) = await SubscribedAsync();

        var disputeId = App.Stripe.DisputeInvoice(invoiceId, "product_not_received").Body["id"]!.GetValue<string>();
        App.Stripe.CloseDispute(disputeId, "lost");
        await App.SettleAsync();
        var account = (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{userId}"))!;

        Assert.That(await AccessAsync(client), Is.EqualTo("trial"));
        var dispute = account["disputes"]!.AsArray().Single()!;
        Assert.That(dispute["status"]!.GetValue<string>(), Is.EqualTo("lost"));
        Assert.That(dispute["reason"]!.GetValue<string>(), Is.EqualTo("product_not_received"));
        Assert.That(account["history"]!.AsArray().Select(h => h!["kind"]!.GetValue<string>()), Does.Contain("dispute_opened").And.Contain("dispute_lost"));
    }

    [Test]
    public async Task The_operator_is_emailed_once_when_a_dispute_opens()
    {
        var (_, _, invoiceId) = await SubscribedAsync();

        var disputeId = App.Stripe.DisputeInvoice(invoiceId).Body["id"]!.GetValue<string>();
        await App.SettleAsync();
        App.Stripe.CloseDispute(disputeId, "won");
        await App.SettleAsync();
        var mail = await Webhooks.EventuallyAsync(() => Task.FromResult(App.Mail.To("billing-team@example.com").Where(m => m.Subject.Contains(invoiceId, StringComparison.Ordinal)).ToList()), m => m.Count > 0);
        await Task.Delay(500);

        Assert.That(App.Mail.To("billing-team@example.com").Count(m => m.Subject.Contains(invoiceId, StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(mail.Single().Notification, Is.EqualTo("dispute_opened"));
    }

    [Test]
    public async Task An_unknown_dispute_filter_is_400()
    {
        using var response = await Admin.GetAsync("/api/v1/billing/admin/disputes?status=maybe");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_dispute_of_a_charge_without_a_payment_intent_is_listed_for_its_invoice_and_account()
    {
        var (userId, _, invoiceId) = await SubscribedAsync();
        var chargeId = App.Stripe.PayInvoiceByChargeAlone(invoiceId);

        var disputeId = App.Stripe.DisputeCharge(chargeId).Body["id"]!.GetValue<string>();
        await App.SettleAsync();
        var listed = await Webhooks.EventuallyAsync(
            async () => (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/disputes"))!.FirstOrDefault(d => d!["id"]!.GetValue<string>() == disputeId),
            d => d is not null);

        Assert.That(disputeId, Does.StartWith("dp_"));
        Assert.That(listed!["user_id"]!.GetValue<string>(), Is.EqualTo(userId));
        Assert.That(listed["invoice_id"]!.GetValue<string>(), Is.EqualTo(invoiceId), "Stripe lists the charge among the invoice's payments");
    }

    [Test]
    public async Task A_dispute_of_a_charge_of_no_invoice_is_still_listed_for_the_customers_account()
    {
        var (userId, _, _) = await SubscribedAsync();
        var customer = (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{userId}"))!["stripe_customer_id"]!.GetValue<string>();
        var chargeId = App.Stripe.ChargeOutsideInvoices(customer, 1500);

        var disputeId = App.Stripe.DisputeCharge(chargeId).Body["id"]!.GetValue<string>();
        await App.SettleAsync();
        var listed = await Webhooks.EventuallyAsync(
            async () => (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/disputes"))!.FirstOrDefault(d => d!["id"]!.GetValue<string>() == disputeId),
            d => d is not null);

        Assert.That(listed!["user_id"]!.GetValue<string>(), Is.EqualTo(userId));
        Assert.That(listed["invoice_id"], Is.Null, "never dropped: the account holds it without an invoice");
        Assert.That(listed["amount"]!.GetValue<long>(), Is.EqualTo(1500));
    }
}
