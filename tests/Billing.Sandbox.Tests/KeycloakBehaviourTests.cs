using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Sandbox.Keycloak;

namespace Billing.Sandbox.Tests;

/// <summary>The Keycloak stand-in behaves as Keycloak 24+ does where the admin API's shapes say nothing (BEHAVIOUR.md K1–K6).</summary>
public sealed class KeycloakBehaviourTests
{
    private KeycloakStandIn _keycloak = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _keycloak = new KeycloakStandIn();
        await _keycloak.StartAsync();
        _keycloak.AddClient("users-only", "s1", KeycloakStandIn.ManageUsersRole);
        _keycloak.AddClient("realm-admin", "s2", KeycloakStandIn.ManageRealmRole, KeycloakStandIn.ManageUsersRole);
        _http = new HttpClient { BaseAddress = _keycloak.BaseUrl };
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _keycloak.DisposeAsync();
    }

    private async Task<HttpClient> AdminAsync(string client, string secret)
    {
        using var response = await _http.PostAsync(
            $"realms/{_keycloak.Realm}/protocol/openid-connect/token",
            new FormUrlEncodedContent([KeyValuePair.Create("grant_type", "client_credentials"), KeyValuePair.Create("client_id", client), KeyValuePair.Create("client_secret", secret)]));
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(token.ContainsKey("refresh_token"), Is.False, "K6: client_credentials returns no refresh token");
        Assert.That(token["expires_in"]!.GetValue<int>(), Is.EqualTo(300), "K6: the realm's access-token lifespan, 300 s by default");
        var admin = new HttpClient { BaseAddress = new Uri(_keycloak.BaseUrl, $"admin/realms/{_keycloak.Realm}/") };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token["access_token"]!.GetValue<string>());
        return admin;
    }

    private static JsonObject Declaration(string name) => new()
    {
        ["name"] = name,
        ["permissions"] = new JsonObject { ["view"] = new JsonArray("admin", "user"), ["edit"] = new JsonArray("admin") },
        ["validations"] = new JsonObject { ["length"] = new JsonObject { ["max"] = 32 } },
        ["multivalued"] = false,
    };

    private static async Task<HttpStatusCode> PutAttributesAsync(HttpClient admin, string id, JsonObject attributes)
    {
        var user = (await admin.GetFromJsonAsync<JsonObject>($"users/{id}"))!;
        user["attributes"] = attributes;
        using var put = await admin.PutAsJsonAsync($"users/{id}", user);
        return put.StatusCode;
    }

    [Test]
    public async Task K1_an_undeclared_attribute_is_answered_204_and_not_stored_and_existing_ones_are_kept()
    {
        var user = _keycloak.AddUser("ada", "ada@example.com", id: "u1", attributes: new() { ["legacy"] = ["kept"] });
        using var admin = await AdminAsync("users-only", "s1");

        var status = await PutAttributesAsync(admin, "u1", new JsonObject { ["subscription_tier"] = new JsonArray("professional") });
        var read = await admin.GetFromJsonAsync<JsonObject>("users/u1");

        Assert.That(status, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(user.Attributes.ContainsKey("subscription_tier"), Is.False);
        Assert.That(user.Attributes["legacy"], Is.EqualTo(new[] { "kept" }));
        Assert.That(read!["attributes"]!.AsObject().ContainsKey("legacy"), Is.False, "unmanaged attributes are invisible to the admin API without a policy");
    }

    [TestCase("ENABLED", true)]
    [TestCase("ADMIN_EDIT", true)]
    [TestCase("ADMIN_VIEW", false)]
    public async Task K1_the_unmanaged_attribute_policy_decides_whether_an_undeclared_attribute_is_stored(string policy, bool stored)
    {
        var user = _keycloak.AddUser("ada", "ada@example.com", id: "u1");
        _keycloak.Profile.SetUnmanagedAttributePolicy(policy);
        using var admin = await AdminAsync("users-only", "s1");

        await PutAttributesAsync(admin, "u1", new JsonObject { ["subscription_tier"] = new JsonArray("professional") });

        Assert.That(user.Attributes.ContainsKey("subscription_tier"), Is.EqualTo(stored));
    }

    [Test]
    public async Task K2_declaring_an_attribute_is_get_then_put_of_the_whole_profile_after_which_it_is_stored()
    {
        var user = _keycloak.AddUser("ada", "ada@example.com", id: "u1");
        using var admin = await AdminAsync("realm-admin", "s2");
        var profile = (await admin.GetFromJsonAsync<JsonObject>("users/profile"))!;
        profile["attributes"]!.AsArray().Add(Declaration("subscription_tier"));

        using var put = await admin.PutAsJsonAsync("users/profile", profile);
        var stored = await put.Content.ReadFromJsonAsync<JsonObject>();
        var status = await PutAttributesAsync(admin, "u1", new JsonObject { ["subscription_tier"] = new JsonArray("professional") });

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(stored!["attributes"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()), Is.SupersetOf(new[] { "username", "email", "firstName", "lastName", "subscription_tier" }));
        Assert.That(status, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(user.Attributes["subscription_tier"], Is.EqualTo(new[] { "professional" }));
    }

    [Test]
    public async Task K2_a_profile_that_drops_a_root_attribute_or_names_a_bad_role_is_400_and_changes_nothing()
    {
        using var admin = await AdminAsync("realm-admin", "s2");
        var profile = (await admin.GetFromJsonAsync<JsonObject>("users/profile"))!;
        var withoutEmail = profile.DeepClone().AsObject();
        withoutEmail["attributes"] = new JsonArray(withoutEmail["attributes"]!.AsArray().Where(a => a!["name"]!.GetValue<string>() != "email").Select(a => a!.DeepClone()).ToArray());
        var badRole = profile.DeepClone().AsObject();
        var declaration = Declaration("tier");
        declaration["permissions"]!["edit"] = new JsonArray("superuser");
        badRole["attributes"]!.AsArray().Add(declaration);

        using var first = await admin.PutAsJsonAsync("users/profile", withoutEmail);
        using var second = await admin.PutAsJsonAsync("users/profile", badRole);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(JsonNode.DeepEquals(_keycloak.Profile.Configuration, profile), Is.True);
    }

    [Test]
    public async Task K2_a_declared_single_valued_attribute_refuses_a_second_value_and_a_value_over_its_length()
    {
        _keycloak.AddUser("ada", "ada@example.com", id: "u1");
        var profile = _keycloak.Profile.Configuration;
        profile["attributes"]!.AsArray().Add(Declaration("subscription_tier"));
        Assert.That(_keycloak.Profile.Replace(profile), Is.Null);
        using var admin = await AdminAsync("users-only", "s1");

        var twoValues = await PutAttributesAsync(admin, "u1", new JsonObject { ["subscription_tier"] = new JsonArray("a", "b") });
        var tooLong = await PutAttributesAsync(admin, "u1", new JsonObject { ["subscription_tier"] = new JsonArray(new string('x', 33)) });

        Assert.That(twoValues, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(tooLong, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task K3_manage_users_reads_the_profile_but_only_manage_realm_writes_it()
    {
        using var usersOnly = await AdminAsync("users-only", "s1");
        var profile = await usersOnly.GetFromJsonAsync<JsonObject>("users/profile");

        using var put = await usersOnly.PutAsJsonAsync("users/profile", profile);

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task K4_two_overlapping_read_modify_writes_lose_one_another_since_put_has_no_version()
    {
        var user = _keycloak.AddUser("ada", "ada@example.com", id: "u1");
        _keycloak.Profile.SetUnmanagedAttributePolicy("ENABLED");
        using var admin = await AdminAsync("users-only", "s1");
        var first = (await admin.GetFromJsonAsync<JsonObject>("users/u1"))!;
        var second = (await admin.GetFromJsonAsync<JsonObject>("users/u1"))!;
        first["attributes"] = new JsonObject { ["a"] = new JsonArray("1") };
        second["attributes"] = new JsonObject { ["b"] = new JsonArray("2") };
        second["If-Match"] = "ignored";

        using var one = await admin.PutAsJsonAsync("users/u1", first);
        using var two = await admin.PutAsJsonAsync("users/u1", second);

        Assert.That(one.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(two.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(user.Attributes.Keys, Is.EquivalentTo(new[] { "b" }), "the last writer wins");
    }

    [Test]
    public async Task K5_a_put_with_an_attributes_map_removes_the_editable_attributes_and_names_it_leaves_out()
    {
        var user = _keycloak.AddUser("ada", "ada@example.com", id: "u1");
        user.FirstName = "Ada";
        var profile = _keycloak.Profile.Configuration;
        profile["attributes"]!.AsArray().Add(Declaration("subscription_tier"));
        profile["attributes"]!.AsArray().Add(Declaration("subscription_status"));
        _keycloak.Profile.Replace(profile);
        user.Attributes["subscription_status"] = ["active"];
        using var admin = await AdminAsync("users-only", "s1");

        using var put = await admin.PutAsJsonAsync("users/u1", new JsonObject { ["attributes"] = new JsonObject { ["subscription_tier"] = new JsonArray("starter") } });
        using var withoutMap = await admin.PutAsJsonAsync("users/u1", new JsonObject { ["enabled"] = true });

        Assert.That(user.Attributes.Keys, Is.EquivalentTo(new[] { "subscription_tier" }));
        Assert.That(user.Email, Is.Null);
        Assert.That(user.FirstName, Is.Null);
    }

    [Test]
    public async Task Lenient_the_service_accounts_realm_management_roles_travel_in_realm_access_not_resource_access()
    {
        // Real Keycloak puts client roles under resource_access["realm-management"].roles; the stand-in keeps them
        // in realm_access. The service never reads this token's roles (it only presents it), so nothing rests on it.
        using var admin = await AdminAsync("users-only", "s1");
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(admin.DefaultRequestHeaders.Authorization!.Parameter);
        var payload = JsonNode.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(token.EncodedPayload))!;

        Assert.That(payload["realm_access"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>()), Does.Contain(KeycloakStandIn.ManageUsersRole));
        Assert.That(payload["resource_access"], Is.Null);
    }

    /// <summary>
    /// Keycloak 22 and 23 without the declarative user profile: no <c>…/users/profile</c> resource (the path falls to
    /// the user by id: 404), a user's attributes are whatever the last <c>PUT</c> carried, and all are returned. An
    /// unknown realm says so instead.
    /// </summary>
    [Test]
    public async Task A_realm_before_24_has_no_profile_resource_and_keeps_any_attribute_while_an_unknown_realm_says_so()
    {
        _keycloak.DeclarativeUserProfile = false;
        _keycloak.AddUser("ada", "ada@example.com", id: "u1", attributes: new() { ["legacy"] = ["kept"] });
        using var admin = await AdminAsync("users-only", "s1");

        using var profile = await admin.GetAsync("users/profile");
        var status = await PutAttributesAsync(admin, "u1", new JsonObject { ["legacy"] = new JsonArray("kept"), ["subscription_tier"] = new JsonArray("professional") });
        var read = await admin.GetFromJsonAsync<JsonObject>("users/u1");
        using var otherRealm = await admin.GetAsync(new Uri(_keycloak.BaseUrl, "admin/realms/elsewhere/users/profile"));

        Assert.That(profile.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await profile.Content.ReadAsStringAsync(), Does.Contain("User not found"));
        Assert.That(status, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(read!["attributes"]!["subscription_tier"]![0]!.GetValue<string>(), Is.EqualTo("professional"));
        Assert.That(read["attributes"]!["legacy"]![0]!.GetValue<string>(), Is.EqualTo("kept"));
        Assert.That(otherRealm.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await otherRealm.Content.ReadAsStringAsync(), Does.Contain("Realm not found"));
    }
}
