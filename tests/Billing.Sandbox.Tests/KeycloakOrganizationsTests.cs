using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Billing.Sandbox.Keycloak;

namespace Billing.Sandbox.Tests;

/// <summary>
/// The Keycloak stand-in's Organizations admin API, held to Keycloak 26's resources: the realm's flag, manage-realm,
/// the error texts and status codes, the brief representation by default, and membership both ways.
/// </summary>
public sealed class KeycloakOrganizationsTests
{
    private KeycloakStandIn _keycloak = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _keycloak = new KeycloakStandIn { OrganizationsEnabled = true };
        await _keycloak.StartAsync();
        _http = new HttpClient { BaseAddress = _keycloak.BaseUrl };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _keycloak.IssueToken("admin", null, [KeycloakStandIn.ManageRealmRole]));
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _keycloak.DisposeAsync();
    }

    private string Admin(string path) => $"admin/realms/{_keycloak.Realm}/organizations{path}";

    [Test]
    public async Task Every_path_answers_404_until_the_realm_enables_organizations()
    {
        _keycloak.OrganizationsEnabled = false;
        var org = _keycloak.AddOrganization("Acme");

        foreach (var path in new[] { "", "/count", $"/{org.Id}", $"/{org.Id}/members", "/members/someone/organizations" })
        {
            using var response = await _http.GetAsync(Admin(path));
            var body = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), path);
            Assert.That(body!["errorMessage"]!.GetValue<string>(), Is.EqualTo("Organizations not enabled for this realm."), path);
        }
    }

    [Test]
    public async Task A_caller_without_manage_realm_is_forbidden_even_with_manage_users()
    {
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _keycloak.IssueToken("svc", null, [KeycloakStandIn.ManageUsersRole]));

        using var response = await _http.GetAsync(Admin(""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task An_unknown_organization_is_404_with_keycloaks_text()
    {
        using var response = await _http.GetAsync(Admin("/no-such-org/members"));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body!["errorMessage"]!.GetValue<string>(), Is.EqualTo("Organization not found."));
    }

    [Test]
    public async Task Created_organizations_are_listed_briefly_by_default_and_fully_on_request()
    {
        using var created = await _http.PostAsJsonAsync(Admin(""), new { name = "Acme", attributes = new Dictionary<string, string[]> { ["subscription_tier"] = ["starter"] } });
        var id = created.Headers.Location!.Segments[^1];

        var brief = await _http.GetFromJsonAsync<JsonArray>(Admin(""));
        var full = await _http.GetFromJsonAsync<JsonArray>(Admin("?briefRepresentation=false"));
        var one = await _http.GetFromJsonAsync<JsonObject>(Admin($"/{id}"));

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(brief!.Single()!["attributes"], Is.Null, "the brief representation has no attributes");
        Assert.That(full!.Single()!["attributes"]!["subscription_tier"]![0]!.GetValue<string>(), Is.EqualTo("starter"));
        Assert.That(one!["alias"]!.GetValue<string>(), Is.EqualTo("Acme"), "the alias defaults to the name");
    }

    [Test]
    public async Task A_second_organization_of_the_same_name_is_a_conflict()
    {
        _keycloak.AddOrganization("Acme");

        using var response = await _http.PostAsJsonAsync(Admin(""), new { name = "Acme" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task A_put_replaces_the_attributes_and_cannot_change_the_alias()
    {
        var org = _keycloak.AddOrganization("Acme", attributes: new() { ["old"] = ["1"] });

        using var replaced = await _http.PutAsJsonAsync(Admin($"/{org.Id}"), new { name = "Acme", attributes = new Dictionary<string, string[]> { ["subscription_tier"] = ["professional"] } });
        using var renamed = await _http.PutAsJsonAsync(Admin($"/{org.Id}"), new { alias = "other" });

        Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(org.Attributes.Keys, Is.EqualTo(new[] { "subscription_tier" }));
        Assert.That(renamed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Members_are_added_by_id_with_or_without_quotes_and_once()
    {
        var org = _keycloak.AddOrganization("Acme");
        var ada = _keycloak.AddUser("ada", "ada@example.com");
        var bob = _keycloak.AddUser("bob", "bob@example.com");

        using var quoted = await _http.PostAsync(Admin($"/{org.Id}/members"), new StringContent($"\"{ada.Id}\"", Encoding.UTF8, "application/json"));
        using var bare = await _http.PostAsync(Admin($"/{org.Id}/members"), new StringContent(bob.Id, Encoding.UTF8, "application/json"));
        using var again = await _http.PostAsync(Admin($"/{org.Id}/members"), new StringContent(bob.Id, Encoding.UTF8, "application/json"));
        using var nobody = await _http.PostAsync(Admin($"/{org.Id}/members"), new StringContent("no-such-user", Encoding.UTF8, "application/json"));

        Assert.That(quoted.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(bare.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((again.StatusCode, (await again.Content.ReadFromJsonAsync<JsonObject>())!["errorMessage"]!.GetValue<string>()),
            Is.EqualTo((HttpStatusCode.Conflict, "User is already a member of the organization.")));
        Assert.That((nobody.StatusCode, (await nobody.Content.ReadFromJsonAsync<JsonObject>())!["errorMessage"]!.GetValue<string>()),
            Is.EqualTo((HttpStatusCode.BadRequest, "User does not exist")));
        Assert.That(await _http.GetFromJsonAsync<int>(Admin($"/{org.Id}/members/count")), Is.EqualTo(2));
    }

    [Test]
    public async Task A_member_is_found_by_id_and_a_non_member_is_404()
    {
        var ada = _keycloak.AddUser("ada", "ada@example.com");
        var eve = _keycloak.AddUser("eve", "eve@example.com");
        var org = _keycloak.AddOrganization("Acme", memberIds: ada.Id);

        var member = await _http.GetFromJsonAsync<JsonObject>(Admin($"/{org.Id}/members/{ada.Id}"));
        using var stranger = await _http.GetAsync(Admin($"/{org.Id}/members/{eve.Id}"));

        Assert.That(member!["id"]!.GetValue<string>(), Is.EqualTo(ada.Id));
        Assert.That(member["membershipType"]!.GetValue<string>(), Is.EqualTo("UNMANAGED"));
        Assert.That(stranger.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Members_are_listed_ten_at_a_time_unless_asked_for_more()
    {
        var org = _keycloak.AddOrganization("Acme");
        for (var i = 0; i < 12; i++)
        {
            org.Members.Add(_keycloak.AddUser($"user{i:D2}").Id);
        }

        var page = await _http.GetFromJsonAsync<JsonArray>(Admin($"/{org.Id}/members"));
        var all = await _http.GetFromJsonAsync<JsonArray>(Admin($"/{org.Id}/members?first=0&max=100"));

        Assert.That(page, Has.Count.EqualTo(10));
        Assert.That(all, Has.Count.EqualTo(12));
    }

    [Test]
    public async Task A_users_organizations_are_listed_from_the_top_and_an_unknown_user_is_404()
    {
        var ada = _keycloak.AddUser("ada", "ada@example.com");
        var loner = _keycloak.AddUser("loner");
        _keycloak.AddOrganization("Acme", memberIds: ada.Id);
        _keycloak.AddOrganization("Globex", memberIds: ada.Id);
        _keycloak.AddOrganization("Initech");

        var organizations = await _http.GetFromJsonAsync<JsonArray>(Admin($"/members/{ada.Id}/organizations"));
        var none = await _http.GetFromJsonAsync<JsonArray>(Admin($"/members/{loner.Id}/organizations"));
        using var unknown = await _http.GetAsync(Admin("/members/no-such-user/organizations"));

        Assert.That(organizations!.Select(o => o!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "Acme", "Globex" }));
        Assert.That(none, Is.Empty);
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_member_who_leaves_is_removed_once()
    {
        var ada = _keycloak.AddUser("ada");
        var org = _keycloak.AddOrganization("Acme", memberIds: ada.Id);

        using var removed = await _http.DeleteAsync(Admin($"/{org.Id}/members/{ada.Id}"));
        using var again = await _http.DeleteAsync(Admin($"/{org.Id}/members/{ada.Id}"));

        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(org.Members, Is.Empty);
    }

    [Test]
    public async Task Organizations_are_found_by_attribute_with_q()
    {
        _keycloak.AddOrganization("Acme", attributes: new() { ["billing_customer"] = ["cus_1"] });
        _keycloak.AddOrganization("Globex", attributes: new() { ["billing_customer"] = ["cus_2"] });

        var found = await _http.GetFromJsonAsync<JsonArray>(Admin("?q=billing_customer:cus_2"));

        Assert.That(found!.Select(o => o!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "Globex" }));
    }
}
