using Billing.Application.Ports;
using Billing.Sandbox.Keycloak;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Infrastructure.Tests;

/// <summary>
/// The Keycloak adapter against realms of both kinds: with a declarative user profile (24+), whose answer that
/// attributes are missing is never kept, and without one (22, 23), which keeps any attribute and has nothing to declare.
/// </summary>
public sealed class KeycloakRealmTests
{
    private static AccountState State(string userId) =>
        new(userId, $"{userId}@example.com", null, "professional", "active", "monthly", "cus_1", "sub_1", new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), true);

    private static Dictionary<string, string?> Settings(KeycloakStandIn keycloak, string? realm = null) => new()
    {
        ["KEYCLOAK_URL"] = keycloak.BaseUrl.AbsoluteUri,
        ["KEYCLOAK_CLIENT_ID"] = "svc",
        ["KEYCLOAK_CLIENT_SECRET"] = "pw",
        ["KEYCLOAK_REALM"] = realm ?? keycloak.Realm,
    };

    private static async Task<KeycloakStandIn> KeycloakAsync(bool declarativeProfile)
    {
        var keycloak = new KeycloakStandIn { DeclarativeUserProfile = declarativeProfile };
        await keycloak.StartAsync();
        keycloak.AddClient("svc", "pw", KeycloakStandIn.ManageUsersRole, KeycloakStandIn.ManageRealmRole);
        keycloak.AddUser("ada", "ada@example.com", id: "kc-1", attributes: new() { ["team"] = ["blue"] });
        return keycloak;
    }

    [Test]
    public async Task A_realm_without_a_user_profile_gets_the_attributes_reports_its_kind_and_has_nothing_to_declare()
    {
        await using var keycloak = await KeycloakAsync(declarativeProfile: false);
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite, Settings(keycloak));
        await using var scope = adapters.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<IIdentityDirectory>();

        var published = await directory.PublishAsync(State("kc-1"), default);
        var health = await directory.CheckAsync(default);
        var declared = await directory.DeclareAttributesAsync(dryRun: false, default);

        Assert.That(published.IsSuccess, Is.True, published.Error?.Detail);
        Assert.That(keycloak.FindUser("kc-1")!.Attributes["subscription_tier"], Is.EqualTo(new[] { "professional" }));
        Assert.That(keycloak.FindUser("kc-1")!.Attributes["team"], Is.EqualTo(new[] { "blue" }), "the read-modify-write keeps what others wrote");
        Assert.That((health.Reachable, health.UndeclaredAttributes.Count, health.KeepsAnyAttribute), Is.EqualTo((true, 0, true)));
        Assert.That(declared.Value, Is.EqualTo(new AttributeDeclaration([], RealmKeepsAnyAttribute: true)).Using<AttributeDeclaration>((a, b) => a.Declared.SequenceEqual(b.Declared) && a.RealmKeepsAnyAttribute == b.RealmKeepsAnyAttribute));
        Assert.That(keycloak.Requests.Count("PUT", $"/admin/realms/{keycloak.Realm}/users/profile"), Is.Zero);
    }

    [Test]
    public async Task A_realm_that_does_not_exist_is_a_setting_to_fix_never_a_missing_user()
    {
        await using var keycloak = await KeycloakAsync(declarativeProfile: true);
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite, Settings(keycloak, realm: "no-such-realm"));
        await using var scope = adapters.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<IIdentityDirectory>();

        var published = await directory.PublishAsync(State("kc-1"), default);
        var declared = await directory.DeclareAttributesAsync(dryRun: true, default);

        Assert.That(published.Error!.Code, Is.Not.EqualTo("keycloak_user_missing"));
        Assert.That(declared.Error!.Code, Is.Not.EqualTo("keycloak_user_missing"));
    }

    [Test]
    public async Task Attributes_declared_elsewhere_are_seen_by_the_very_next_delivery()
    {
        await using var keycloak = await KeycloakAsync(declarativeProfile: true);
        await using var service = await Adapters.CreateAsync(Database.Sqlite, Settings(keycloak));
        await using var setup = await Adapters.CreateAsync(Database.Sqlite, Settings(keycloak));
        await using var serviceScope = service.Services.CreateAsyncScope();
        await using var setupScope = setup.Services.CreateAsyncScope();
        var directory = serviceScope.ServiceProvider.GetRequiredService<IIdentityDirectory>();

        var before = await directory.PublishAsync(State("kc-1"), default);
        await setupScope.ServiceProvider.GetRequiredService<IIdentityDirectory>().DeclareAttributesAsync(dryRun: false, default);
        var after = await directory.PublishAsync(State("kc-1"), default);

        Assert.That(before.Error!.Code, Is.EqualTo(IdentityDeliveryFailures.AttributesUndeclared));
        Assert.That(after.IsSuccess, Is.True, "an answer that attributes are missing is never kept: " + after.Error?.Detail);
        Assert.That(keycloak.FindUser("kc-1")!.Attributes["subscription_tier"], Is.EqualTo(new[] { "professional" }));
    }
}
