using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>
/// Two writers of one account at the same moment: the one that saves second runs its whole command again on the
/// fresh state, so neither change is lost and no caller sees a 5xx.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class ConcurrencyTests(Database database) : AppFixture(database)
{
    private const int Rounds = 8;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Billing:Disputes:SuspendAccess"] = "true";
        settings["Billing:RateLimit:PermitLimit"] = "1000";
    }

    private async Task<(string UserId, HttpClient Client, string SubscriptionId)> SubscribedAsync()
    {
        var userId = $"u-{Guid.NewGuid():N}"[..18];
        App.Keycloak.AddUser(userId, $"{userId}@example.com", id: userId);
        var client = App.ClientFor(userId, $"{userId}@example.com");
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });
        var session = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var completed = App.Stripe.CompleteCheckout(session["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await App.SettleAsync();
        return (userId, client, completed.Body["subscription"]!.GetValue<string>());
    }

    private async Task AssertStoreEqualsStripeAsync(HttpClient client, string subscriptionId, string round)
    {
        var stripe = App.Stripe.Subscription(subscriptionId)!;
        var status = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!;
        var stripeTier = stripe["metadata"]!["tier"]!.GetValue<string>();

        Assert.That(status["tier_id"]!.GetValue<string>(), Is.EqualTo(stripeTier), round);
        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo(stripe["status"]!.GetValue<string>()), round);
        Assert.That(status["cancel_at_period_end"]!.GetValue<bool>(), Is.EqualTo(stripe["cancel_at_period_end"]!.GetValue<bool>()), round);
    }

    [Test]
    public async Task An_upgrade_and_a_cancel_racing_on_one_subscription_both_answer_and_leave_the_store_equal_to_Stripe()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            var (_, client, subscriptionId) = await SubscribedAsync();

            var upgrade = client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "professional", billing_cycle = "monthly" });
            var cancel = client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { at_period_end = true });
            using var upgraded = await upgrade;
            using var canceled = await cancel;
            await App.SettleAsync();

            Assert.That((int)upgraded.StatusCode, Is.EqualTo(200), $"round {round}: {await upgraded.Content.ReadAsStringAsync()}");
            Assert.That((int)canceled.StatusCode, Is.EqualTo(200), $"round {round}: {await canceled.Content.ReadAsStringAsync()}");
            Assert.That(App.Stripe.Subscription(subscriptionId)!["cancel_at_period_end"]!.GetValue<bool>(), Is.True, $"round {round}: the cancel reached Stripe");
            await AssertStoreEqualsStripeAsync(client, subscriptionId, $"round {round}");
        }
    }

    [Test]
    public async Task A_dispute_recorded_while_the_subscription_changes_loses_neither()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            var (userId, client, subscriptionId) = await SubscribedAsync();
            var invoiceId = App.Stripe.Subscription(subscriptionId)!["latest_invoice"]!.GetValue<string>();

            var upgrade = client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "enterprise", billing_cycle = "monthly" });
            App.Stripe.DisputeInvoice(invoiceId);
            using var upgraded = await upgrade;
            await App.SettleAsync();
            var account = (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{userId}"))!;
            var status = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!;

            Assert.That((int)upgraded.StatusCode, Is.EqualTo(200), $"round {round}: {await upgraded.Content.ReadAsStringAsync()}");
            Assert.That(account["disputes"]!.AsArray(), Has.Count.EqualTo(1), $"round {round}: the dispute is recorded");
            Assert.That(status["access_tier"]!.GetValue<string>(), Is.EqualTo("trial"), $"round {round}: the dispute still suspends access");
            Assert.That(status["tier_id"]!.GetValue<string>(), Is.EqualTo("enterprise"), $"round {round}: the upgrade is kept");
            await AssertStoreEqualsStripeAsync(client, subscriptionId, $"round {round}");
        }
    }
}
