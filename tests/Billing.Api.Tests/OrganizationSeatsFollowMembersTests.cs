using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>With Billing:Organizations:SeatsFollowMembers, a team's seats are its member count, caught up in one Stripe update.</summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class OrganizationSeatsFollowMembersTests(Database database) : AppFixture(database)
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Billing:Organizations:Enabled"] = "true";
        settings["Billing:Organizations:SeatsFollowMembers"] = "true";
    }

    [OneTimeSetUp]
    public void EnableOrganizations() => App.Keycloak.OrganizationsEnabled = true;

    private string NewMember()
    {
        var id = Guid.NewGuid().ToString();
        App.Keycloak.AddUser($"f-{id[..8]}", $"{id[..8]}@example.com", id: id);
        return id;
    }

    [Test]
    public async Task A_fourth_member_joins_and_a_sync_bills_four_seats_in_one_stripe_update_and_gives_them_the_tier()
    {
        string[] members = [NewMember(), NewMember(), NewMember()];
        var organization = App.Keycloak.AddOrganization($"Follow {members[0][..8]}", memberIds: members);
        var manager = App.ClientFor(members[0], $"{members[0][..8]}@example.com", "billing-org-admin");
        var path = $"/api/v1/billing/organizations/{organization.Id}";

        using var asked = await manager.PostAsJsonAsync($"{path}/checkout/create", new { tier_id = "starter", billing_cycle = "monthly", seats = 5 });
        Assert.That(asked.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "the seats are the members here");
        Assert.That((await asked.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("seats_follow_members"));
        using var checkout = await manager.PostAsJsonAsync($"{path}/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });
        var session = (await checkout.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>();
        var subscriptionId = App.Stripe.CompleteCheckout(session, StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        await App.SettleAsync();
        Assert.That(App.Stripe.Subscription(subscriptionId)!["items"]!["data"]![0]!["quantity"]!.GetValue<long>(), Is.EqualTo(3));

        var fourth = NewMember();
        organization.Members.Add(fourth);
        var updates = App.Stripe.Requests.Matching("POST", $"/v1/subscriptions/{subscriptionId}").Count;
        using var synced = await manager.PostAsync($"{path}/seats/sync", null);
        using var again = await manager.PostAsync($"{path}/seats/sync", null);
        await App.SettleAsync();

        Assert.That(synced.StatusCode, Is.EqualTo(HttpStatusCode.OK), await synced.Content.ReadAsStringAsync());
        Assert.That((await again.Content.ReadFromJsonAsync<JsonObject>())!["seats"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(App.Stripe.Subscription(subscriptionId)!["items"]!["data"]![0]!["quantity"]!.GetValue<long>(), Is.EqualTo(4));
        // The team's delivery after checkout may notice the new member at the same moment as the sync: both send the
        // same keyed update and Stripe replays it, so the count is of distinct changes, not of requests.
        var changes = App.Stripe.Requests.Matching("POST", $"/v1/subscriptions/{subscriptionId}").Skip(updates).Select(r => r.IdempotencyKey).Distinct();
        Assert.That(changes.Count(), Is.EqualTo(1), "one update, and none for the second sync");
        Assert.That(
            await Webhooks.EventuallyAsync(() => Task.FromResult(App.Keycloak.FindUser(fourth)?.Attributes.GetValueOrDefault("subscription_tier")?.SingleOrDefault()), t => t == "starter"),
            Is.EqualTo("starter"),
            "the new member gets the team's tier when the team's change is delivered");
    }

    [Test]
    public async Task The_reconciliation_counts_the_members_again_and_brings_the_seats_to_them()
    {
        string[] members = [NewMember(), NewMember()];
        var organization = App.Keycloak.AddOrganization($"Recount {members[0][..8]}", memberIds: members);
        var manager = App.ClientFor(members[0], $"{members[0][..8]}@example.com", "billing-org-admin");
        using var checkout = await manager.PostAsJsonAsync($"/api/v1/billing/organizations/{organization.Id}/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });
        var session = (await checkout.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>();
        var subscriptionId = App.Stripe.CompleteCheckout(session, StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        await App.SettleAsync();
        organization.Members.Add(NewMember());
        organization.Members.Add(NewMember());
        organization.Members.Add(NewMember());

        using var dryRun = await Admin.PostAsJsonAsync("/api/v1/billing/admin/reconcile", new { user_id = $"org:{organization.Id}", dry_run = true });
        var quantityAfterDryRun = App.Stripe.Subscription(subscriptionId)!["items"]!["data"]![0]!["quantity"]!.GetValue<long>();
        using var reconciled = await Admin.PostAsJsonAsync("/api/v1/billing/admin/reconcile", new { user_id = $"org:{organization.Id}" });
        await App.SettleAsync();

        Assert.That(dryRun.StatusCode, Is.EqualTo(HttpStatusCode.OK), await dryRun.Content.ReadAsStringAsync());
        Assert.That(quantityAfterDryRun, Is.EqualTo(2), "a dry run changes nothing");
        Assert.That(reconciled.StatusCode, Is.EqualTo(HttpStatusCode.OK), await reconciled.Content.ReadAsStringAsync());
        Assert.That((await reconciled.Content.ReadAsStringAsync()), Does.Contain("\"seats\""));
        Assert.That(App.Stripe.Subscription(subscriptionId)!["items"]!["data"]![0]!["quantity"]!.GetValue<long>(), Is.EqualTo(5));
    }

    [Test]
    public async Task A_change_of_the_team_delivered_to_keycloak_counts_its_members_and_catches_the_seats_up()
    {
        string[] members = [NewMember(), NewMember()];
        var organization = App.Keycloak.AddOrganization($"Deliver {members[0][..8]}", memberIds: members);
        var manager = App.ClientFor(members[0], $"{members[0][..8]}@example.com", "billing-org-admin");
        var path = $"/api/v1/billing/organizations/{organization.Id}";
        using var checkout = await manager.PostAsJsonAsync($"{path}/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });
        var session = (await checkout.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>();
        var subscriptionId = App.Stripe.CompleteCheckout(session, StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        await App.SettleAsync();
        var joiner = NewMember();
        organization.Members.Add(joiner);

        // Any change of the team is delivered to Keycloak; that delivery counts the members.
        using var canceled = await manager.PostAsJsonAsync($"{path}/subscription/cancel", new { at_period_end = true });
        Assert.That(canceled.StatusCode, Is.EqualTo(HttpStatusCode.OK), await canceled.Content.ReadAsStringAsync());
        await App.SettleAsync();

        Assert.That(
            await Webhooks.EventuallyAsync(() => Task.FromResult(App.Stripe.Subscription(subscriptionId)!["items"]!["data"]![0]!["quantity"]!.GetValue<long>()), q => q == 3),
            Is.EqualTo(3));
        Assert.That(
            await Webhooks.EventuallyAsync(() => Task.FromResult(App.Keycloak.FindUser(joiner)?.Attributes.GetValueOrDefault("subscription_tier")?.SingleOrDefault()), t => t == "starter"),
            Is.EqualTo("starter"));
    }
}
