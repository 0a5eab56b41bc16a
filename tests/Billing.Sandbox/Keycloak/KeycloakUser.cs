namespace Billing.Sandbox.Keycloak;

/// <summary>A user of the realm, with Keycloak's representation fields and its attribute map (every value a list).</summary>
public sealed class KeycloakUser
{
    public required string Id { get; init; }

    public required string Username { get; set; }

    public string? Email { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public bool Enabled { get; set; } = true;

    public bool EmailVerified { get; set; } = true;

    public string? Password { get; set; }

    public List<string> RealmRoles { get; set; } = [];

    public Dictionary<string, List<string>> Attributes { get; set; } = new(StringComparer.Ordinal);

    public long CreatedTimestamp { get; init; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public List<string> RequiredActions { get; set; } = [];
}
