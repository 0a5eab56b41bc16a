using System.Text.Json.Nodes;
using Refit;

namespace Billing.Infrastructure.Keycloak;

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
    /// <summary>Users by custom attributes, <c>q=key:value</c>; <c>exact</c> compares whole values (else Keycloak matches a part).</summary>
    [Get("/admin/realms/{realm}/users")]
    Task<IApiResponse<JsonArray>> FindUsersByAttributeAsync(string realm, string q, bool exact, int first, int max, bool briefRepresentation, CancellationToken cancellationToken);

    [Get("/admin/realms/{realm}/users/profile")]
    Task<IApiResponse<JsonObject>> GetUserProfileAsync(string realm, CancellationToken cancellationToken);

    /// <summary>Replaces the whole user profile configuration; needs manage-realm.</summary>
    [Put("/admin/realms/{realm}/users/profile")]
    Task<IApiResponse<JsonObject>> PutUserProfileAsync(string realm, [Body] JsonObject configuration, CancellationToken cancellationToken);

    [Put("/admin/realms/{realm}/users/{id}")]
    Task<IApiResponse> PutUserAsync(string realm, string id, [Body] JsonObject user, CancellationToken cancellationToken);
}
