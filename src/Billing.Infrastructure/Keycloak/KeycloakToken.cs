using System.Text.Json.Serialization;

namespace Billing.Infrastructure.Keycloak;

public sealed record KeycloakToken(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);
