using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Billing.Sandbox.Keycloak;

public sealed partial class KeycloakStandIn
{
    /// <summary>
    /// Imports a realm export as Keycloak's <c>--import-realm</c> does: <c>${VAR}</c> and <c>${VAR:default}</c>
    /// placeholders resolved from <paramref name="variables"/>, the realm's name checked against this realm, its
    /// confidential clients with their service accounts' realm-management roles, its public clients, its users and
    /// the declarative user profile (which must pass the same validation as a PUT of it). Throws on what Keycloak
    /// would refuse.
    /// </summary>
    public void ImportRealm(string json, IReadOnlyDictionary<string, string> variables)
    {
        var resolved = Placeholder().Replace(json, m =>
            variables.TryGetValue(m.Groups["name"].Value, out var value) ? value
            : m.Groups["default"].Success ? m.Groups["default"].Value
            : m.Value);
        var realm = JsonNode.Parse(resolved)?.AsObject() ?? throw new InvalidOperationException("The realm file is not a JSON object.");
        if (realm["realm"]?.GetValue<string>() != Realm)
        {
            throw new InvalidOperationException($"The file imports realm '{realm["realm"]}', not '{Realm}'.");
        }

        var serviceAccountRoles = (realm["users"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(u => u["serviceAccountClientId"] is not null)
            .ToDictionary(
                u => u["serviceAccountClientId"]!.GetValue<string>(),
                u => (u["clientRoles"]?["realm-management"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToArray());
        foreach (var client in (realm["clients"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var clientId = client["clientId"]?.GetValue<string>() ?? throw new InvalidOperationException("A client has no clientId.");
            if (client["publicClient"]?.GetValue<bool>() == true)
            {
                PublicClients[clientId] = (client["redirectUris"] as JsonArray ?? []).Select(u => u!.GetValue<string>()).ToList();
                continue;
            }

            var secret = client["secret"]?.GetValue<string>();
            if (string.IsNullOrEmpty(secret) || Placeholder().IsMatch(secret))
            {
                throw new InvalidOperationException($"Client {clientId} has no secret (its placeholder was not resolved).");
            }

            AddClient(clientId, secret, client["serviceAccountsEnabled"]?.GetValue<bool>() == true ? serviceAccountRoles.GetValueOrDefault(clientId, []) : []);
        }

        foreach (var role in (realm["roles"]?["realm"] as JsonArray ?? []).OfType<JsonObject>())
        {
            RealmRoles.Add(role["name"]!.GetValue<string>());
        }

        var profile = realm["components"]?["org.keycloak.userprofile.UserProfileProvider"]?[0]?["config"]?["kc.user.profile.config"]?[0]?.GetValue<string>();
        if (profile is not null && Profile.Replace(JsonNode.Parse(profile)!.AsObject()) is { } invalid)
        {
            throw new InvalidOperationException($"The realm's user profile is invalid: {invalid}");
        }
    }

    /// <summary>Public clients (an SPA's) by id, with the redirect URIs the realm allows them.</summary>
    public Dictionary<string, List<string>> PublicClients { get; } = new(StringComparer.Ordinal);

    /// <summary>The realm roles the realm defines (imported).</summary>
    public HashSet<string> RealmRoles { get; } = new(StringComparer.Ordinal);

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(:(?<default>[^}]*))?\}")]
    private static partial Regex Placeholder();
}
