using System.Text.Json.Nodes;
using Billing.Infrastructure.Keycloak;

namespace Billing.Infrastructure.Tests;

/// <summary>
/// Which billing attributes a realm's user profile must declare: the team's only where teams are billed, the
/// entitlements only where the catalog names some.
/// </summary>
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

        Assert.That(KeycloakUserProfile.Undeclared(profile, teams: false, entitlements: false), Is.Empty);
        Assert.That(KeycloakUserProfile.Undeclared(profile, teams: true, entitlements: false), Is.EqualTo(new[] { "billing_organization_id" }));
    }

    [Test]
    public void A_realm_set_up_before_entitlements_lacks_them_once_the_catalog_names_some()
    {
        var profile = Declaring([.. Six, "billing_organization_id"]);

        Assert.That(KeycloakUserProfile.Undeclared(profile, teams: true, entitlements: false), Is.Empty);
        Assert.That(KeycloakUserProfile.Undeclared(profile, teams: true, entitlements: true), Is.EqualTo(new[] { "billing_entitlements" }));
    }

    [Test]
    public void Keycloak_setup_declares_every_attribute_so_teams_can_be_turned_on_later()
    {
        // A realm set up by an earlier version: the others as `keycloak setup` declared them, not the team's.
        var profile = new JsonObject { ["attributes"] = new JsonArray() };
        KeycloakUserProfile.Declare(profile);
        var attributes = profile["attributes"]!.AsArray();
        attributes.Remove(attributes.Single(a => a!["name"]!.GetValue<string>() == "billing_organization_id"));

        var added = KeycloakUserProfile.Declare(profile);

        Assert.That(added, Is.EqualTo(new[] { "billing_organization_id" }), "the others stay as they were");
        Assert.That(KeycloakUserProfile.Undeclared(profile, teams: true), Is.Empty);
    }
}
