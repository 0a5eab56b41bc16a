namespace Billing.Sandbox.Keycloak;

/// <summary>A confidential client of the realm and the roles of its service account.</summary>
public sealed record KeycloakClient(string ClientId, string Secret, IReadOnlyList<string> ServiceAccountRoles);
