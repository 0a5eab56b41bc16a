using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Keycloak;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>
/// Downgrades at the end of the period, end to end: the customer keeps what they paid for (Keycloak included) until
/// Stripe moves the subscription to the scheduled phase, and a lift, an upgrade or a cancellation lets go of it.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class ScheduledDowngradeTests(Database database) : AppFixture(database)
{
    private KeycloakUser NewUser() =>
        App.Keycloak.AddUser($"sd-{Guid.NewGuid():N}"[..16], $"{Guid.NewGuid():N}@example.com", id: Guid.NewGuid().ToString());

    private async Task<(HttpClient Client, string SubscriptionId)> SubscribeAsync(KeycloakUser user, string tier, string cycle)
    {
        var client = App.ClientFor(user.Id, user.Email);
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = tier, billing_cycle = cycle });
        var session = await response.Content.ReadFromJsonAsync<JsonObject>();
        var subscriptionId = App.Stripe.CompleteCheckout(session!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        await App.SettleAsync();
        await KeycloakTierAsync(user, tier);
        return (client, subscriptionId);
    }

    private async Task<string?> KeycloakTierAsync(KeycloakUser user, string expected) =>
        await Webhooks.EventuallyAsync(() => Task.FromResult(App.Keycloak.FindUser(user.Id)?.Attributes.GetValueOrDefault("subscription_tier")?.SingleOrDefault()), t => t == expected);

    private static async Task<JsonObject> StatusAsync(HttpClient client) => (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/subscription-status"))!;

    private static string Lookup(JsonObject subscription) => subscription["items"]!["data"]![0]!["price"]!["lookup_key"]!.GetValue<string>();

    [Test]
    public async Task A_yearly_enterprise_subscriber_downgrading_to_starter_keeps_enterprise_until_the_period_ends()
    {
        var user = NewUser();
        var (client, subscriptionId) = await SubscribeAsync(user, "enterprise", "yearly");
        var periodEnd = (await StatusAsync(client))["current_period_end"]!.GetValue<DateTimeOffset>();

        using var preview = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade/preview", new { new_tier_id = "starter", billing_cycle = "monthly" });
        using var downgrade = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "starter", billing_cycle = "monthly" });
        await App.SettleAsync();
        var scheduled = await StatusAsync(client);

        var previewed = (await preview.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(preview.StatusCode, Is.EqualTo(HttpStatusCode.OK), previewed.ToJsonString());
        Assert.That(previewed["scheduled"]!.GetValue<bool>(), Is.True);
        Assert.That(previewed["amount_due"]!.GetValue<long>(), Is.Zero, "nothing is charged now");
        Assert.That(previewed["effective_at"]!.GetValue<DateTimeOffset>(), Is.EqualTo(periodEnd));
        Assert.That(downgrade.StatusCode, Is.EqualTo(HttpStatusCode.OK), await downgrade.Content.ReadAsStringAsync());
        Assert.That(scheduled["tier_id"]!.GetValue<string>(), Is.EqualTo("enterprise"));
        Assert.That(scheduled["access_tier"]!.GetValue<string>(), Is.EqualTo("enterprise"));
        Assert.That(scheduled["scheduled_change"]!["tier_id"]!.GetValue<string>(), Is.EqualTo("starter"));
        Assert.That(scheduled["scheduled_change"]!["billing_cycle"]!.GetValue<string>(), Is.EqualTo("monthly"));
        Assert.That(scheduled["scheduled_change"]!["effective_at"]!.GetValue<DateTimeOffset>(), Is.EqualTo(periodEnd));
        Assert.That(Lookup(App.Stripe.Subscription(subscriptionId)!), Is.EqualTo("enterprise_yearly"), "Stripe still bills enterprise");
        Assert.That(App.Keycloak.FindUser(user.Id)!.Attributes["subscription_tier"].Single(), Is.EqualTo("enterprise"));
        Assert.That(App.Stripe.Requests.Matching("POST", "/v1/invoices/create_preview"), Is.Empty, "a scheduled downgrade's preview asks Stripe nothing");

        // The year ends: Stripe moves the subscription to the scheduled phase and says so by its webhook.
        App.Stripe.RenewNow(subscriptionId);
        await App.SettleAsync();

        var moved = await StatusAsync(client);
        Assert.That(moved["tier_id"]!.GetValue<string>(), Is.EqualTo("starter"));
        Assert.That(moved["billing_cycle"]!.GetValue<string>(), Is.EqualTo("monthly"));
        Assert.That(moved["scheduled_change"], Is.Null);
        Assert.That(await KeycloakTierAsync(user, "starter"), Is.EqualTo("starter"));
    }

    [Test]
    public async Task Lifting_the_scheduled_change_keeps_the_plan_and_a_second_lift_is_404()
    {
        var user = NewUser();
        var (client, subscriptionId) = await SubscribeAsync(user, "professional", "yearly");
        using var downgrade = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "starter", billing_cycle = "yearly" });
        var scheduleId = App.Stripe.Subscription(subscriptionId)!["schedule"]!.GetValue<string>();

        using var lifted = await client.DeleteAsync("/api/v1/billing/subscription/scheduled-change");
        using var again = await client.DeleteAsync("/api/v1/billing/subscription/scheduled-change");
        await App.SettleAsync();
        App.Stripe.RenewNow(subscriptionId);
        await App.SettleAsync();

        Assert.That(downgrade.StatusCode, Is.EqualTo(HttpStatusCode.OK), await downgrade.Content.ReadAsStringAsync());
        Assert.That(lifted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await lifted.Content.ReadAsStringAsync());
        Assert.That((await lifted.Content.ReadFromJsonAsync<JsonObject>())!["scheduled_change"], Is.Null);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await again.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("no_scheduled_change"));
        Assert.That(App.Stripe.Schedule(scheduleId)!["status"]!.GetValue<string>(), Is.EqualTo("released"));
        Assert.That(Lookup(App.Stripe.Subscription(subscriptionId)!), Is.EqualTo("professional_yearly"), "renewed as it was");
        Assert.That((await StatusAsync(client))["tier_id"]!.GetValue<string>(), Is.EqualTo("professional"));
    }

    [Test]
    public async Task An_upgrade_replaces_the_scheduled_downgrade_and_happens_now()
    {
        var user = NewUser();
        var (client, subscriptionId) = await SubscribeAsync(user, "professional", "monthly");
        using var downgrade = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "starter", billing_cycle = "monthly" });
        var scheduleId = App.Stripe.Subscription(subscriptionId)!["schedule"]!.GetValue<string>();

        using var upgrade = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "enterprise", billing_cycle = "monthly" });
        await App.SettleAsync();
        App.Stripe.RenewNow(subscriptionId);
        await App.SettleAsync();

        Assert.That(upgrade.StatusCode, Is.EqualTo(HttpStatusCode.OK), await upgrade.Content.ReadAsStringAsync());
        Assert.That((await upgrade.Content.ReadFromJsonAsync<JsonObject>())!["tier_id"]!.GetValue<string>(), Is.EqualTo("enterprise"));
        Assert.That(App.Stripe.Schedule(scheduleId)!["status"]!.GetValue<string>(), Is.EqualTo("released"));
        Assert.That(Lookup(App.Stripe.Subscription(subscriptionId)!), Is.EqualTo("enterprise_monthly"), "the renewal keeps the upgrade");
        Assert.That(await KeycloakTierAsync(user, "enterprise"), Is.EqualTo("enterprise"));
    }

    [Test]
    public async Task A_cancellation_at_the_period_end_wins_over_a_scheduled_downgrade()
    {
        var user = NewUser();
        var (client, subscriptionId) = await SubscribeAsync(user, "professional", "monthly");
        using var downgrade = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "starter", billing_cycle = "monthly" });

        using var cancel = await client.PostAsJsonAsync("/api/v1/billing/subscription/cancel", new { at_period_end = true });
        using var downgradeAgain = await client.PostAsJsonAsync("/api/v1/billing/subscription/upgrade", new { new_tier_id = "starter", billing_cycle = "monthly" });
        await App.SettleAsync();

        var status = await StatusAsync(client);
        Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.OK), await cancel.Content.ReadAsStringAsync());
        Assert.That(status["cancel_at_period_end"]!.GetValue<bool>(), Is.True);
        Assert.That(status["scheduled_change"], Is.Null);
        Assert.That(status["tier_id"]!.GetValue<string>(), Is.EqualTo("professional"), "it ends on the plan it has");
        Assert.That(App.Stripe.Subscription(subscriptionId)!["schedule"], Is.Null);
        Assert.That(downgradeAgain.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await downgradeAgain.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("cancellation_scheduled"));
    }

    [Test]
    public async Task A_downgrade_scheduled_in_the_portal_shows_as_the_scheduled_change_until_it_is_released_there()
    {
        var user = NewUser();
        var (client, subscriptionId) = await SubscribeAsync(user, "professional", "yearly");
        var stripe = new Stripe.StripeClient(apiKey: App.Stripe.ApiKey, apiBase: App.Stripe.BaseUrl.AbsoluteUri.TrimEnd('/'));
        var schedules = new Stripe.SubscriptionScheduleService(stripe);
        var starterYearly = App.Stripe.Prices().Single(p => p["lookup_key"]?.GetValue<string>() == "starter_yearly")["id"]!.GetValue<string>();

        // What the portal does for a downgrade at the period end: a schedule from the subscription, then its phases,
        // with no metadata of this service's.
        var schedule = await schedules.CreateAsync(new Stripe.SubscriptionScheduleCreateOptions { FromSubscription = subscriptionId });
        var current = schedule.Phases[0];
        await schedules.UpdateAsync(schedule.Id, new Stripe.SubscriptionScheduleUpdateOptions
        {
            EndBehavior = "release",
            Phases =
            [
                new Stripe.SubscriptionSchedulePhaseOptions { StartDate = current.StartDate, EndDate = current.EndDate, Items = [new Stripe.SubscriptionSchedulePhaseItemOptions { Price = current.Items[0].PriceId, Quantity = 1 }] },
                new Stripe.SubscriptionSchedulePhaseOptions { Items = [new Stripe.SubscriptionSchedulePhaseItemOptions { Price = starterYearly, Quantity = 1 }] },
            ],
        });
        await App.SettleAsync();
        var scheduled = await StatusAsync(client);

        await schedules.ReleaseAsync(schedule.Id);
        await App.SettleAsync();
        var released = await StatusAsync(client);

        Assert.That(scheduled["scheduled_change"]?["tier_id"]?.GetValue<string>(), Is.EqualTo("starter"), scheduled.ToJsonString());
        Assert.That(scheduled["tier_id"]!.GetValue<string>(), Is.EqualTo("professional"));
        Assert.That(released["scheduled_change"], Is.Null);
    }
}
