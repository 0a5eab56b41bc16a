using System.Text.Json.Nodes;
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
