using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>A customer deleted in Stripe lets go of the account cleanly: access ends, and the user can start again.</summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class DeletedCustomerTests(Database database) : AppFixture(database)
{
    private async Task<string> CheckoutAndPayAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "professional", billing_cycle = "monthly" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var completed = App.Stripe.CompleteCheckout((await response.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await App.SettleAsync();
        return completed.Body["customer"]!.GetValue<string>();
    }

    [Test]
    public async Task A_customer_deleted_in_Stripe_unlinks_the_account_and_the_user_can_check_out_again()
    {
        var userId = $"del-{Guid.NewGuid():N}"[..16];
        using var client = App.ClientFor(userId);
        var first = await CheckoutAndPayAsync(client);

        await new global::Stripe.CustomerService(App.StripeSdk()).DeleteAsync(first);
        await App.SettleAsync();
        var afterDeletion = (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{userId}"))!;
        var second = await CheckoutAndPayAsync(client);
        var status = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!;

        Assert.That(afterDeletion["stripe_customer_id"], Is.Null);
        Assert.That(afterDeletion["subscription"]!["status"]!.GetValue<string>(), Is.EqualTo("canceled"));
        Assert.That(afterDeletion["subscription"]!["access_tier"]!.GetValue<string>(), Is.EqualTo("trial"));
        Assert.That(afterDeletion["history"]!.AsArray().Select(h => h!["kind"]!.GetValue<string>()), Does.Contain("customer_deleted"));
        Assert.That(second, Is.Not.EqualTo(first), "a new customer in Stripe");
        Assert.That(status["status"]!.GetValue<string>(), Is.EqualTo("active"));
        Assert.That(status["tier_id"]!.GetValue<string>(), Is.EqualTo("professional"));
        var failed = (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/webhook-events?status=failed"))!;
        Assert.That(failed, Is.Empty, "late events of the deleted customer change nothing and fail nothing");
    }
}
