using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Billing.Sandbox.Keycloak;
using YamlDotNet.RepresentationModel;

namespace Billing.Infrastructure.Tests.Deployment;

/// <summary>
/// The deployment files cannot be run here (no Docker, no real Keycloak or Lago), so what can be checked is:
/// the realm import is what Keycloak accepts and gives the service what it needs, the compose file parses and
/// wires the same variables .env.example explains, and the image is built as promised.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly Dictionary<string, string> ImportVariables = new(StringComparer.Ordinal) { ["KEYCLOAK_CLIENT_SECRET"] = "compose-secret" };

    [Test]
    public async Task The_realm_import_gives_the_service_client_a_token_that_may_read_the_profile_and_every_billing_attribute_is_declared()
    {
        await using var keycloak = new KeycloakStandIn();
        await keycloak.StartAsync();
        keycloak.ImportRealm(RepositoryFiles.Read("deploy/keycloak/billing-realm.json"), ImportVariables);
        using var http = new HttpClient { BaseAddress = keycloak.BaseUrl };

        using var tokenResponse = await http.PostAsync("realms/billing/protocol/openid-connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "billing-api",
            ["client_secret"] = "compose-secret",
        }));
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
        using var profileRequest = new HttpRequestMessage(HttpMethod.Get, "admin/realms/billing/users/profile");
        profileRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var profileResponse = await http.SendAsync(profileRequest);
        var profile = (await profileResponse.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.That(tokenResponse.IsSuccessStatusCode, Is.True);
        Assert.That(profileResponse.IsSuccessStatusCode, Is.True, "the service account may read the user profile");
        Assert.That(Billing.Infrastructure.Keycloak.KeycloakUserProfile.Undeclared(profile), Is.Empty, "the import declares every attribute the service writes, as `keycloak setup` would");
        Assert.That(keycloak.RealmRoles, Is.SupersetOf(new[] { "billing-admin", "billing-usage-writer" }));
    }

    [Test]
    public void The_realm_import_has_a_public_spa_client_with_pkce_and_the_audience_the_api_requires()
    {
        var realm = JsonNode.Parse(RepositoryFiles.Read("deploy/keycloak/billing-realm.json"))!;
        var spa = realm["clients"]!.AsArray().Single(c => c!["clientId"]!.GetValue<string>() == "billing-spa")!;

        Assert.That(spa["publicClient"]!.GetValue<bool>(), Is.True, "a browser keeps no secret");
        Assert.That(spa["attributes"]!["pkce.code.challenge.method"]!.GetValue<string>(), Is.EqualTo("S256"));
        Assert.That(spa["implicitFlowEnabled"]!.GetValue<bool>(), Is.False);
        Assert.That(spa["protocolMappers"]!.AsArray().Select(m => m!["config"]!["included.client.audience"]?.GetValue<string>()), Does.Contain("billing-api"));
    }

    [Test]
    public void An_import_whose_client_secret_is_not_set_is_refused()
    {
        var keycloak = new KeycloakStandIn();

        Assert.That(() => keycloak.ImportRealm(RepositoryFiles.Read("deploy/keycloak/billing-realm.json"), new Dictionary<string, string>()), Throws.InvalidOperationException.With.Message.Contains("billing-api"));
    }

    [Test]
    public void The_compose_file_parses_runs_the_service_with_postgres_keycloak_and_lago_and_every_variable_it_reads_is_in_env_example()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(RepositoryFiles.Read("deploy/compose.yaml")));
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        var names = services.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
        var billing = (YamlMappingNode)services["billing"];
        var billingEnvironment = ((YamlMappingNode)billing["environment"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
        var documented = EnvExampleVariables();
        var used = ComposeVariable().Matches(RepositoryFiles.Read("deploy/compose.yaml")).Select(m => m.Groups["name"].Value).Distinct().ToList();

        Assert.That(names, Is.SupersetOf(new[] { "postgres", "keycloak", "billing", "lago-api", "lago-worker", "lago-db", "lago-redis" }));
        Assert.That(billingEnvironment, Is.SupersetOf(new[] { "BILLING_DATABASE", "KEYCLOAK_URL", "LAGO_API_URL" }));
        Assert.That(used.Except(documented), Is.Empty, "every variable compose reads is explained in .env.example");
    }

    [Test]
    public void Env_example_explains_every_setting_the_readme_lists()
    {
        var readme = RepositoryFiles.Read("README.md");
        var listed = ReadmeSetting().Matches(readme).Select(m => m.Groups["name"].Value)
            .Where(n => !n.Contains('{') && !n.EndsWith('_') && n.All(c => !char.IsLower(c)))
            .Distinct()
            .ToList();
        var example = RepositoryFiles.Read(".env.example");

        Assert.That(listed, Is.Not.Empty);
        Assert.That(listed.Where(n => !example.Contains(n, StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void The_image_is_built_by_the_sdk_and_runs_chiseled_as_a_non_root_user_with_a_health_check()
    {
        var dockerfile = RepositoryFiles.Read("Dockerfile");

        Assert.That(dockerfile, Does.Contain("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build"));
        Assert.That(dockerfile, Does.Contain("dotnet publish"));
        Assert.That(dockerfile, Does.Match(@"FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0-[a-z]+-chiseled"));
        Assert.That(Regex.Match(dockerfile, @"^USER (\S+)", RegexOptions.Multiline).Groups[1].Value, Is.Not.EqualTo("root").And.Not.EqualTo("0").And.Not.Empty);
        Assert.That(dockerfile, Does.Contain("HEALTHCHECK").And.Contain("\"health\""));
    }

    private static HashSet<string> EnvExampleVariables() =>
        RepositoryFiles.Read(".env.example").Split('\n')
            .Select(l => l.TrimStart('#', ' '))
            .Select(l => EnvLine().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\$\{(?<name>[A-Z_][A-Z0-9_]*)")]
    private static partial Regex ComposeVariable();

    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*)=")]
    private static partial Regex EnvLine();

    [GeneratedRegex(@"^\| `(?<name>[A-Za-z_][A-Za-z0-9_]*)`", RegexOptions.Multiline)]
    private static partial Regex ReadmeSetting();
}
