using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Sandbox.Keycloak;
using Billing.Sandbox.Stripe;

namespace Billing.Api.Tests;

/// <summary>
/// Teams: a manager subscribes an organization for its seats, Keycloak's Organizations say who may read and who may
/// change its billing, the organization carries the tier in Keycloak, and seats are held to the members.
/// </summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class OrganizationBillingTests(Database database) : AppFixture(database)
{
    private const string ManagerRole = "billing-org-admin";

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Billing:Organizations:Enabled"] = "true";
        settings["Billing:Catalog:Tiers:enterprise:MaxSeats"] = "50";
    }

    [OneTimeSetUp]
    public void EnableOrganizations() => App.Keycloak.OrganizationsEnabled = true;

    /// <summary>An organization of <paramref name="members"/>, the first its billing manager; their ids and clients.</summary>
    private (KeycloakOrganization Organization, string[] Members, HttpClient Manager, HttpClient Member) Team(int members = 3)
    {
        var ids = Enumerable.Range(0, members).Select(_ => Guid.NewGuid().ToString()).ToArray();
        foreach (var id in ids)
        {
            App.Keycloak.AddUser($"u-{id[..8]}", $"{id[..8]}@example.com", id: id);
        }

        var organization = App.Keycloak.AddOrganization($"Team {ids[0][..8]}", memberIds: ids);
        return (organization, ids, App.ClientFor(ids[0], $"{ids[0][..8]}@example.com", ManagerRole), App.ClientFor(ids[1], $"{ids[1][..8]}@example.com"));
    }

    private string? Attribute(string userId, string name) => App.Keycloak.FindUser(userId)?.Attributes.GetValueOrDefault(name)?.SingleOrDefault();

    private static string Path(KeycloakOrganization organization, string rest) => $"/api/v1/billing/organizations/{organization.Id}/{rest}";

    /// <summary>The manager checks the team out and pays; the subscription's id.</summary>
    private async Task<string> SubscribedAsync(KeycloakOrganization organization, HttpClient manager, int? seats = null, string tier = "professional")
    {
        using var checkout = await manager.PostAsJsonAsync(Path(organization, "checkout/create"), new { tier_id = tier, billing_cycle = "monthly", seats });
        Assert.That(checkout.StatusCode, Is.EqualTo(HttpStatusCode.OK), await checkout.Content.ReadAsStringAsync());
        var session = (await checkout.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>();
        var completed = App.Stripe.CompleteCheckout(session, StripeStandIn.CardSucceeds);
        Assert.That(completed.Status, Is.EqualTo(200), completed.Body.ToJsonString());
        await App.SettleAsync();
        return completed.Body["subscription"]!.GetValue<string>();
    }

    [Test]
    public async Task A_manager_subscribes_an_organization_of_three_for_three_seats_and_the_organization_carries_the_tier()
    {
        var (organization, members, manager, member) = Team();

        var subscriptionId = await SubscribedAsync(organization, manager, seats: 3);

        var subscription = App.Stripe.Subscription(subscriptionId)!;
        Assert.That(subscription["items"]!["data"]![0]!["quantity"]!.GetValue<long>(), Is.EqualTo(3));
        Assert.That(subscription["metadata"]!["keycloak_organization_id"]!.GetValue<string>(), Is.EqualTo(organization.Id));
        var customer = App.Stripe.Customer(subscription["customer"]!.GetValue<string>())!;
        Assert.That(customer["metadata"]!["keycloak_organization_id"]!.GetValue<string>(), Is.EqualTo(organization.Id));
        Assert.That(customer["metadata"]!["keycloak_user_id"], Is.Null, "the customer is the team's, not the manager's");

        var adminView = (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/org:{organization.Id}"))!;
        Assert.That((adminView["organization_id"]!.GetValue<string>(), adminView["subscription"]!["seats"]!.GetValue<int>()), Is.EqualTo((organization.Id, 3)), "admins see the team's account");
        var listed = (await member.GetFromJsonAsync<JsonArray>("/api/v1/billing/organizations"))!.Single(o => o!["organization_id"]!.GetValue<string>() == organization.Id)!;
        var managed = (await manager.GetFromJsonAsync<JsonArray>("/api/v1/billing/organizations"))!.Single(o => o!["organization_id"]!.GetValue<string>() == organization.Id)!;
        Assert.That((listed["name"]!.GetValue<string>(), listed["tier_id"]!.GetValue<string>(), listed["seats"]!.GetValue<int>(), listed["can_manage"]!.GetValue<bool>()), Is.EqualTo((organization.Name, "professional", 3, false)));
        Assert.That(managed["can_manage"]!.GetValue<bool>(), Is.True);
        var status = (await member.GetFromJsonAsync<JsonObject>(Path(organization, "subscription-status")))!;
        Assert.That((status["tier_id"]!.GetValue<string>(), status["status"]!.GetValue<string>(), status["seats"]!.GetValue<int>()), Is.EqualTo(("professional", "active", 3)), "any member reads it");
        Assert.That(
            await Webhooks.EventuallyAsync(() => Task.FromResult(organization.Attributes.GetValueOrDefault("subscription_tier")?.Single()), t => t == "professional"),
            Is.EqualTo("professional"),
            "the organization's attributes in Keycloak");
        foreach (var id in members)
        {
            Assert.That(await Webhooks.EventuallyAsync(() => Task.FromResult(Attribute(id, "subscription_tier")), t => t == "professional"), Is.EqualTo("professional"), "each member's access");
            Assert.That(Attribute(id, "billing_organization_id"), Is.EqualTo(organization.Id));
        }
        Assert.That(
            await Webhooks.EventuallyAsync(() => Task.FromResult(App.Lago.Customers.ContainsKey(customer["id"]!.GetValue<string>())), known => known),
            Is.True,
            "Lago bills the organization as one customer (its Stripe customer)");
    }

    [Test]
    public async Task A_stranger_gets_404_a_member_without_the_role_403_on_a_change_and_nothing_reaches_Stripe()
    {
        var (organization, _, _, member) = Team();
        var strangerId = Guid.NewGuid().ToString();
        App.Keycloak.AddUser($"s-{strangerId[..8]}", $"{strangerId[..8]}@example.com", id: strangerId);
        var stranger = App.ClientFor(strangerId, $"{strangerId[..8]}@example.com", ManagerRole);
        var sessionsBefore = App.Stripe.Requests.Matching("POST", "/v1/checkout/sessions").Count;

        using var byStranger = await stranger.GetAsync(Path(organization, "subscription-status"));
        using var strangerCheckout = await stranger.PostAsJsonAsync(Path(organization, "checkout/create"), new { tier_id = "starter", billing_cycle = "monthly" });
        using var byMember = await member.PostAsJsonAsync(Path(organization, "checkout/create"), new { tier_id = "starter", billing_cycle = "monthly" });
        using var memberSeats = await member.GetAsync(Path(organization, "seats"));
        using var unknown = await stranger.GetAsync($"/api/v1/billing/organizations/not-an-organization/subscription-status");

        Assert.That(byStranger.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await byStranger.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("organization_not_found"));
        Assert.That(strangerCheckout.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the role alone is not membership");
        Assert.That(byMember.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(byMember.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await byMember.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("organization_billing_role_required"));
        Assert.That(memberSeats.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a member reads the seats");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(App.Stripe.Requests.Matching("POST", "/v1/checkout/sessions"), Has.Count.EqualTo(sessionsBefore));
    }

    [Test]
    public async Task Seats_below_the_member_count_are_refused_and_a_change_of_seats_is_one_stripe_update()
    {
        var (organization, _, manager, _) = Team(members: 3);
        using var tooFew = await manager.PostAsJsonAsync(Path(organization, "checkout/create"), new { tier_id = "professional", billing_cycle = "monthly", seats = 2 });
        Assert.That(tooFew.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await tooFew.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("seats_below_members"));

        var subscriptionId = await SubscribedAsync(organization, manager);
        Assert.That(App.Stripe.Subscription(subscriptionId)!["items"]!["data"]![0]!["quantity"]!.GetValue<long>(), Is.EqualTo(3), "without seats, the member count");
        var updates = App.Stripe.Requests.Matching("POST", $"/v1/subscriptions/{subscriptionId}").Count;

        using var below = await manager.PutAsJsonAsync(Path(organization, "seats"), new { seats = 2 });
        using var five = await manager.PutAsJsonAsync(Path(organization, "seats"), new { seats = 5 });
        using var again = await manager.PutAsJsonAsync(Path(organization, "seats"), new { seats = 5 });

        Assert.That(below.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(five.StatusCode, Is.EqualTo(HttpStatusCode.OK), await five.Content.ReadAsStringAsync());
        Assert.That((await five.Content.ReadFromJsonAsync<JsonObject>())!["seats"]!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(App.Stripe.Subscription(subscriptionId)!["items"]!["data"]![0]!["quantity"]!.GetValue<long>(), Is.EqualTo(5));
        Assert.That(App.Stripe.Requests.Matching("POST", $"/v1/subscriptions/{subscriptionId}"), Has.Count.EqualTo(updates + 1), "one update; the same seats again ask Stripe nothing");
        var seats = (await manager.GetFromJsonAsync<JsonObject>(Path(organization, "seats")))!;
        Assert.That((seats["seats"]!.GetValue<int>(), seats["members"]!.GetValue<int>()), Is.EqualTo((5, 3)));
    }

    [Test]
    public async Task A_tier_with_a_seat_limit_refuses_more_seats_than_it_sells()
    {
        var (organization, _, manager, _) = Team(members: 2);
        await SubscribedAsync(organization, manager, tier: "enterprise");

        using var tooMany = await manager.PutAsJsonAsync(Path(organization, "seats"), new { seats = 51 });

        Assert.That(tooMany.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await tooMany.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>(), Is.EqualTo("seats_out_of_range"));
    }

    [Test]
    public async Task The_organization_cancels_and_it_and_its_members_fall_back_in_keycloak()
    {
        var (organization, members, manager, _) = Team();
        await SubscribedAsync(organization, manager);

        using var canceled = await manager.PostAsJsonAsync(Path(organization, "subscription/cancel"), new { at_period_end = false });
        Assert.That(canceled.StatusCode, Is.EqualTo(HttpStatusCode.OK), await canceled.Content.ReadAsStringAsync());
        await App.SettleAsync();

        Assert.That(
            await Webhooks.EventuallyAsync(() => Task.FromResult(organization.Attributes.GetValueOrDefault("subscription_status")?.Single()), s => s == "canceled"),
            Is.EqualTo("canceled"));
        foreach (var id in members)
        {
            Assert.That(await Webhooks.EventuallyAsync(() => Task.FromResult(Attribute(id, "subscription_tier")), t => t == "trial"), Is.EqualTo("trial"));
            Assert.That(Attribute(id, "billing_organization_id"), Is.Null);
        }
    }

    [Test]
    public async Task A_member_who_leaves_loses_the_tier_at_the_next_reconciliation_unless_they_pay_more_themselves()
    {
        var (organization, members, manager, _) = Team(members: 3);
        await SubscribedAsync(organization, manager, tier: "starter");
        foreach (var id in members)
        {
            await Webhooks.EventuallyAsync(() => Task.FromResult(Attribute(id, "subscription_tier")), t => t == "starter");
        }

        // The third member pays for professional themselves: their own, higher subscription is their access.
        var payer = App.ClientFor(members[2], $"{members[2][..8]}@example.com");
        using (var own = await payer.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "professional", billing_cycle = "monthly" }))
        {
            Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK), await own.Content.ReadAsStringAsync());
            App.Stripe.CompleteCheckout((await own.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        }

        await App.SettleAsync();
        Assert.That(await Webhooks.EventuallyAsync(() => Task.FromResult(Attribute(members[2], "subscription_tier")), t => t == "professional"), Is.EqualTo("professional"));
        Assert.That(Attribute(members[2], "billing_organization_id"), Is.Null, "their access is their own");

        // The second member leaves the team in Keycloak; the reconciliation of the team repairs what Keycloak holds.
        organization.Members.Remove(members[1]);
        using var reconciled = await Admin.PostAsJsonAsync("/api/v1/billing/admin/reconcile", new { user_id = $"org:{organization.Id}" });
        Assert.That(reconciled.StatusCode, Is.EqualTo(HttpStatusCode.OK), await reconciled.Content.ReadAsStringAsync());
        await App.SettleAsync();

        Assert.That(await Webhooks.EventuallyAsync(() => Task.FromResult(Attribute(members[1], "subscription_tier")), t => t == "trial"), Is.EqualTo("trial"), "the leaver fell back to no subscription");
        Assert.That(Attribute(members[1], "billing_organization_id"), Is.Null);
        Assert.That(Attribute(members[0], "subscription_tier"), Is.EqualTo("starter"), "those who stay keep the team's tier");
        Assert.That(Attribute(members[2], "subscription_tier"), Is.EqualTo("professional"));
    }

    [Test]
    public async Task Usage_of_a_member_without_a_subscription_of_their_own_is_billed_to_the_organization()
    {
        var (organization, members, manager, _) = Team(members: 2);
        var subscriptionId = await SubscribedAsync(organization, manager);
        using var meter = App.ClientFor("metering-service", "metering@example.com", "billing-usage-writer");
        var transaction = $"team-{Guid.NewGuid():N}";

        using var response = await meter.PostAsJsonAsync("/api/v1/billing/usage", new { events = new[] { new { transaction_id = transaction, user_id = members[1], code = "api_calls" } } });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["accepted"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(await Webhooks.EventuallyAsync(() => Task.FromResult(App.Lago.Events.ContainsKey($"{subscriptionId}/{transaction}")), sent => sent), Is.True, "Lago bills the team's subscription");
    }
}
