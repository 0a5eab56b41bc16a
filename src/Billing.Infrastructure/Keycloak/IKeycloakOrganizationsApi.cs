using System.Text.Json.Nodes;
using Refit;

namespace Billing.Infrastructure.Keycloak;

/// <summary>Keycloak 26's Organizations admin API (every path needs manage-realm; 404 until the realm enables them).</summary>
public interface IKeycloakOrganizationsApi
{
    /// <summary>404 with <c>"Organization not found."</c> for an unknown organization, JAX-RS's bare 404 for a non-member.</summary>
    [Get("/admin/realms/{realm}/organizations/{organizationId}/members/{memberId}")]
    Task<IApiResponse<JsonObject>> GetMemberAsync(string realm, string organizationId, string memberId, CancellationToken cancellationToken);

    [Get("/admin/realms/{realm}/organizations/{organizationId}/members/count")]
    Task<IApiResponse<int>> CountMembersAsync(string realm, string organizationId, CancellationToken cancellationToken);

    [Get("/admin/realms/{realm}/organizations/members/{memberId}/organizations")]
    Task<IApiResponse<JsonArray>> OrganizationsOfAsync(string realm, string memberId, bool briefRepresentation, CancellationToken cancellationToken);

    /// <summary>The full representation, attributes included.</summary>
    [Get("/admin/realms/{realm}/organizations/{organizationId}")]
    Task<IApiResponse<JsonObject>> GetOrganizationAsync(string realm, string organizationId, CancellationToken cancellationToken);

    /// <summary>Replaces what the body carries (its attributes as a whole, like a user's).</summary>
    [Put("/admin/realms/{realm}/organizations/{organizationId}")]
    Task<IApiResponse> UpdateOrganizationAsync(string realm, string organizationId, [Body] JsonObject organization, CancellationToken cancellationToken);

    /// <summary>A page of members (Keycloak defaults to 10; <paramref name="max"/> asks for more).</summary>
    [Get("/admin/realms/{realm}/organizations/{organizationId}/members")]
    Task<IApiResponse<JsonArray>> ListMembersAsync(string realm, string organizationId, int first, int max, bool briefRepresentation, CancellationToken cancellationToken);
}
