using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Refit;

namespace Billing.Infrastructure.Keycloak;

/// <summary>Keycloak's OIDC token endpoint (no /auth prefix since Keycloak 17).</summary>
public interface IKeycloakTokenApi
{
    [Post("/realms/{realm}/protocol/openid-connect/token")]
    Task<KeycloakToken> RequestTokenAsync(string realm, [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken);

    [Get("/realms/{realm}/.well-known/openid-configuration")]
    Task<IApiResponse<JsonObject>> DiscoveryAsync(string realm, CancellationToken cancellationToken);
}

public sealed record KeycloakToken(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

/// <summary>
/// The admin users API. Users travel as raw JSON objects so that a read-modify-write keeps every field and
/// attribute this service does not know about.
/// </summary>
public interface IKeycloakAdminApi
{
    [Get("/admin/realms/{realm}/users/{id}")]
    Task<IApiResponse<JsonObject>> GetUserAsync(string realm, string id, CancellationToken cancellationToken);

    [Get("/admin/realms/{realm}/users")]
    Task<IApiResponse<JsonArray>> FindUsersAsync(string realm, string email, bool exact, CancellationToken cancellationToken);

    /// <summary>The realm's declarative user profile (Keycloak 24+): readable with any realm-management role.</summary>
    [Get("/admin/realms/{realm}/users/profile")]
    Task<IApiResponse<JsonObject>> GetUserProfileAsync(string realm, CancellationToken cancellationToken);

    /// <summary>Replaces the whole user profile configuration; needs manage-realm.</summary>
    [Put("/admin/realms/{realm}/users/profile")]
    Task<IApiResponse<JsonObject>> PutUserProfileAsync(string realm, [Body] JsonObject configuration, CancellationToken cancellationToken);

    [Put("/admin/realms/{realm}/users/{id}")]
    Task<IApiResponse> PutUserAsync(string realm, string id, [Body] JsonObject user, CancellationToken cancellationToken);
}
