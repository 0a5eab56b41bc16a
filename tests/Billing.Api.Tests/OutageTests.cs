using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Common;
using Billing.Sandbox.Keycloak;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>An outage of Keycloak needs no human: nothing transient parks, and the wait ends when Keycloak answers again.</summary>
public sealed class OutageTests
{
    private static async Task<KeycloakUser> SubscribeAsync(BillingApp app)
    {
        var user = app.Keycloak.AddUser($"o-{Guid.NewGuid():N}"[..14], $"{Guid.NewGuid():N}@example.com", id: Guid.NewGuid().ToString());
        using var client = app.ClientFor(user.Id, user.Email);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });
        var session = await response.Content.ReadFromJsonAsync<JsonObject>();
        app.Stripe.CompleteCheckout(session!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        return user;
    }

    private static string? Tier(BillingApp app, KeycloakUser user) =>
        app.Keycloak.FindUser(user.Id)!.Attributes.GetValueOrDefault("subscription_tier")?.Single();

    [Test]
    public async Task An_outage_longer_than_every_attempt_parks_nothing_and_ends_in_the_latest_state()
    {
        await using var app = await BillingApp.StartWithCatalogAsync(configure: s =>
        {
            s["Billing:Sync:MaxAttempts"] = "2";
            s["Billing:Sync:BaseDelay"] = "00:00:00.050";
            s["Billing:Sync:MaxDelay"] = "00:00:00.300";
        });
        app.Keycloak.Faults.FailFor(TimeSpan.FromSeconds(4), FaultKind.ServerError, "/admin/");

        var user = await SubscribeAsync(app);
        await Task.Delay(TimeSpan.FromSeconds(2));
        using var admin = app.Admin();
        var parkedDuring = await admin.GetFromJsonAsync<JsonArray>("/api/v1/billing/admin/sync-failures");
        var tier = await Webhooks.EventuallyAsync(() => Task.FromResult(Tier(app, user)), t => t == "starter", TimeSpan.FromSeconds(30));

        Assert.That(parkedDuring, Is.Empty, "an outage is no reason to park, however many attempts it takes");
        Assert.That(tier, Is.EqualTo("starter"));
    }

    [Test]
    public async Task When_Keycloak_answers_again_what_waited_on_it_is_delivered_at_once_not_after_its_backoff()
    {
        await using var app = await BillingApp.StartWithCatalogAsync(configure: s =>
        {
            s["Billing:Sync:BaseDelay"] = "00:01:00";
            s["Billing:Sync:MaxDelay"] = "00:01:00";
        });
        app.Keycloak.Faults.FailFor(TimeSpan.FromMinutes(1), FaultKind.ServerError, "/admin/");
        var waiting = await SubscribeAsync(app);

        // Keycloak comes back only once the delivery has failed and waits out its backoff (thirty seconds or more).
        using var admin = app.Admin();
        var failedOnce = await Webhooks.EventuallyAsync(
            async () =>
            {
                var account = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{waiting.Id}"))!;
                var latest = account["outbox"]!.AsArray().Where(m => m!["target"]!.GetValue<string>() == "keycloak")
                    .MaxBy(m => m!["account_version"]!.GetValue<long>());
                return account["subscription"]!["status"]!.GetValue<string>() == "active" &&
                       latest?["status"]?.GetValue<string>() == "pending" && latest["last_error"] is not null;
            },
            failed => failed,
            TimeSpan.FromSeconds(20));
        app.Keycloak.Faults.Clear();
        Assert.That(failedOnce, Is.True);
        Assert.That(Tier(app, waiting), Is.Null, "its first delivery failed, and it now waits at least thirty seconds");

        // Any delivery that goes through shows Keycloak is back.
        var later = await SubscribeAsync(app);
        var laterTier = await Webhooks.EventuallyAsync(() => Task.FromResult(Tier(app, later)), t => t == "starter", TimeSpan.FromSeconds(10));
        var waitingTier = await Webhooks.EventuallyAsync(() => Task.FromResult(Tier(app, waiting)), t => t == "starter", TimeSpan.FromSeconds(10));

        Assert.That(laterTier, Is.EqualTo("starter"));
        Assert.That(waitingTier, Is.EqualTo("starter"), "delivered within seconds of Keycloak's return, not a minute later");
    }
}
