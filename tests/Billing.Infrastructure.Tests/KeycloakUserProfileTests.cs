using System.Text.Json.Nodes;
using Billing.Infrastructure.Keycloak;

namespace Billing.Infrastructure.Tests;

/// <summary>Which billing attributes a realm's user profile must declare: the team's only where teams are billed.</summary>
public sealed class KeycloakUserProfileTests
{
    private static readonly string[] Six = ["subscription_tier", "subscription_status", "stripe_customer_id", "stripe_subscription_id", "subscription_start_date", "subscription_end_date"];

    private static JsonObject Declaring(IEnumerable<string> names) => new()
    {
        ["attributes"] = new JsonArray([.. names.Select(n => (JsonNode)new JsonObject { ["name"] = n, ["permissions"] = new JsonObject { ["view"] = new JsonArray("admin", "user"), ["edit"] = new JsonArray("admin") } })]),
    };

    [Test]
    public void A_realm_set_up_before_teams_lacks_nothing_until_teams_are_billed()
    {
        var profile = Declaring(Six);

        Assert.That(KeycloakUserProfile.Undeclared(profile, teams: false), Is.Empty);
        Assert.That(KeycloakUserProfile.Undeclared(profile, teams: true), Is.EqualTo(new[] { "billing_organization_id" }));
    }

    [Test]
    public void Keycloak_setup_declares_all_seven_so_teams_can_be_turned_on_later()
    {
        // A realm set up by an earlier version: the six as `keycloak setup` declared them, not the seventh.
        var profile = new JsonObject { ["attributes"] = new JsonArray() };
        KeycloakUserProfile.Declare(profile);
        var attributes = profile["attributes"]!.AsArray();
        attributes.Remove(attributes.Single(a => a!["name"]!.GetValue<string>() == "billing_organization_id"));

        var added = KeycloakUserProfile.Declare(profile);

        Assert.That(added, Is.EqualTo(new[] { "billing_organization_id" }), "the six stay as they were");
        Assert.That(KeycloakUserProfile.Undeclared(profile, teams: true), Is.Empty);
    }
}
