using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Sandbox.Keycloak;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Billing.Infrastructure.Tests;

/// <summary>
/// The Keycloak adapter for teams against the stand-in's Organizations API: membership asked of Keycloak and
/// remembered a minute, Keycloak's three kinds of 404 told apart, and the settings an operator has to fix.
/// </summary>
public sealed class KeycloakOrganizationTests
{
    private KeycloakStandIn _keycloak = null!;
    private KeycloakUser _ada = null!;
    private KeycloakUser _eve = null!;
    private KeycloakOrganization _acme = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _keycloak = new KeycloakStandIn { OrganizationsEnabled = true };
        await _keycloak.StartAsync();
        _keycloak.AddClient("svc", "pw", KeycloakStandIn.ManageUsersRole, KeycloakStandIn.ManageRealmRole);
        _keycloak.AddClient("users-only", "pw", KeycloakStandIn.ManageUsersRole);
        _ada = _keycloak.AddUser("ada", "ada@example.com");
        _eve = _keycloak.AddUser("eve", "eve@example.com");
        _acme = _keycloak.AddOrganization("Acme", memberIds: _ada.Id);
        _clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
    }

    [TearDown]
    public async Task StopAsync() => await _keycloak.DisposeAsync();

    private async Task<Adapters> AdaptersAsync(string client = "svc") => await Adapters.CreateAsync(
        Database.Sqlite,
        new()
        {
            ["KEYCLOAK_URL"] = _keycloak.BaseUrl.AbsoluteUri,
            ["KEYCLOAK_CLIENT_ID"] = client,
            ["KEYCLOAK_CLIENT_SECRET"] = "pw",
            ["KEYCLOAK_REALM"] = _keycloak.Realm,
        },
        services => services.AddSingleton<TimeProvider>(_clock));

    private static async Task<T> WithDirectoryAsync<T>(Adapters adapters, Func<IOrganizationDirectory, Task<T>> use)
    {
        await using var scope = adapters.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<IOrganizationDirectory>());
    }

    [Test]
    public async Task A_member_a_stranger_and_an_unknown_organization_are_told_apart()
    {
        await using var adapters = await AdaptersAsync();

        var member = await WithDirectoryAsync(adapters, d => d.FindMembershipAsync(_acme.Id, _ada.Id, default));
        var stranger = await WithDirectoryAsync(adapters, d => d.FindMembershipAsync(_acme.Id, _eve.Id, default));
        var unknown = await WithDirectoryAsync(adapters, d => d.FindMembershipAsync("no-such-org", _ada.Id, default));

        Assert.That((member.Value, stranger.Value, unknown.Value), Is.EqualTo((OrganizationMembership.Member, OrganizationMembership.NotMember, OrganizationMembership.UnknownOrganization)));
    }

    [Test]
    public async Task A_membership_is_remembered_for_a_minute_so_a_member_who_left_loses_access_within_it()
    {
        await using var adapters = await AdaptersAsync();
        var path = $"/admin/realms/{_keycloak.Realm}/organizations/{_acme.Id}/members/{_ada.Id}";

        var first = await WithDirectoryAsync(adapters, d => d.FindMembershipAsync(_acme.Id, _ada.Id, default));
        _acme.Members.Remove(_ada.Id);
        var remembered = await WithDirectoryAsync(adapters, d => d.FindMembershipAsync(_acme.Id, _ada.Id, default));
        _clock.Advance(TimeSpan.FromSeconds(61));
        var later = await WithDirectoryAsync(adapters, d => d.FindMembershipAsync(_acme.Id, _ada.Id, default));

        Assert.That((first.Value, remembered.Value, later.Value), Is.EqualTo((OrganizationMembership.Member, OrganizationMembership.Member, OrganizationMembership.NotMember)));
        Assert.That(_keycloak.Requests.Count("GET", path), Is.EqualTo(2), "asked once, then again after the minute");
    }

    [Test]
    public async Task A_realm_with_organizations_off_is_a_setting_to_fix_not_a_stranger()
    {
        _keycloak.OrganizationsEnabled = false;
        await using var adapters = await AdaptersAsync();

        var answer = await WithDirectoryAsync(adapters, d => d.FindMembershipAsync(_acme.Id, _ada.Id, default));

        Assert.That((answer.Error?.Kind, answer.Error?.Code), Is.EqualTo((ErrorKind.NotConfigured, "keycloak_organizations_disabled")));
    }

    [Test]
    public async Task A_service_account_without_manage_realm_is_told_which_role_it_lacks()
    {
        await using var adapters = await AdaptersAsync(client: "users-only");

        var answer = await WithDirectoryAsync(adapters, d => d.FindMembershipAsync(_acme.Id, _ada.Id, default));

        Assert.That(answer.Error?.Code, Is.EqualTo("keycloak_forbidden"));
        Assert.That(answer.Error?.Detail, Does.Contain("manage-realm"));
    }

    [Test]
    public async Task Members_are_counted_and_a_users_teams_are_listed()
    {
        _acme.Members.Add(_eve.Id);
        var globex = _keycloak.AddOrganization("Globex", memberIds: _ada.Id);
        var loner = _keycloak.AddUser("loner");
        await using var adapters = await AdaptersAsync();

        var count = await WithDirectoryAsync(adapters, d => d.CountMembersAsync(_acme.Id, default));
        var adas = await WithDirectoryAsync(adapters, d => d.OrganizationsOfAsync(_ada.Id, default));
        var loners = await WithDirectoryAsync(adapters, d => d.OrganizationsOfAsync(loner.Id, default));
        var nobodys = await WithDirectoryAsync(adapters, d => d.OrganizationsOfAsync("no-such-user", default));
        var unknownCount = await WithDirectoryAsync(adapters, d => d.CountMembersAsync("no-such-org", default));

        Assert.That(count.Value, Is.EqualTo(2));
        Assert.That(adas.Value, Is.EquivalentTo(new[] { new OrganizationSummary(_acme.Id, "Acme"), new OrganizationSummary(globex.Id, "Globex") }));
        Assert.That(loners.Value, Is.Empty);
        Assert.That(nobodys.Value, Is.Empty, "a user Keycloak does not have belongs to no team");
        Assert.That(unknownCount.Error?.Code, Is.EqualTo("organization_not_found"));
    }

    [Test]
    public async Task A_token_endpoint_that_is_down_is_an_outage_to_retry_and_refused_credentials_are_a_setting_to_fix()
    {
        // On the real clock: the HTTP retries in between wait on it.
        Dictionary<string, string?> Settings(string secret) => new()
        {
            ["KEYCLOAK_URL"] = _keycloak.BaseUrl.AbsoluteUri,
            ["KEYCLOAK_CLIENT_ID"] = "svc",
            ["KEYCLOAK_CLIENT_SECRET"] = secret,
            ["KEYCLOAK_REALM"] = _keycloak.Realm,
        };
        await using var down = await Adapters.CreateAsync(Database.Sqlite, Settings("pw"));
        _keycloak.TokenEndpointUnavailable = true;
        var outage = await WithDirectoryAsync(down, d => d.CountMembersAsync(_acme.Id, default));
        _keycloak.TokenEndpointUnavailable = false;
        await using var wrong = await Adapters.CreateAsync(Database.Sqlite, Settings("not-the-secret"));
        var refused = await WithDirectoryAsync(wrong, d => d.CountMembersAsync(_acme.Id, default));

        Assert.That((outage.Error!.Kind, outage.Error.Code), Is.EqualTo((ErrorKind.UpstreamUnavailable, "keycloak_unavailable")));
        Assert.That((refused.Error!.Kind, refused.Error.Code), Is.EqualTo((ErrorKind.NotConfigured, "keycloak_credentials_rejected")), refused.Error.Detail);
    }

    [Test]
    public async Task An_organizations_account_is_written_on_the_organization_keeping_its_other_attributes_and_never_on_a_user()
    {
        _acme.Attributes["region"] = ["eu"];
        await using var adapters = await AdaptersAsync();
        var state = new AccountState($"org:{_acme.Id}", _ada.Email!, null, "professional", "active", "monthly", "cus_acme", "sub_acme", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), SubscriptionLive: true);

        await using var scope = adapters.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<IIdentityDirectory>();
        var written = await directory.PublishAsync(state, default);
        var drift = await directory.CompareAsync(state, default);

        Assert.That(written.IsSuccess, Is.True, written.Error?.Detail);
        Assert.That(_acme.Attributes["subscription_tier"], Is.EqualTo(new[] { "professional" }));
        Assert.That(_acme.Attributes["region"], Is.EqualTo(new[] { "eu" }), "Keycloak's PUT replaces the map: the rest went back as read");
        Assert.That(_ada.Attributes.ContainsKey("subscription_tier"), Is.False, "not the manager, though the account carries their e-mail");
        Assert.That(drift.Value, Is.Empty);
    }
}
