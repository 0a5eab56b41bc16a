namespace Billing.Sandbox.Keycloak;

/// <summary>An organization of the realm (Keycloak 26) and the ids of its members.</summary>
public sealed class KeycloakOrganization
{
    public required string Id { get; init; }

    public required string Name { get; set; }

    /// <summary>Set at creation (the name when none is given) and never changed after.</summary>
    public required string Alias { get; init; }

    public bool Enabled { get; set; } = true;

    public string? Description { get; set; }

    public Dictionary<string, List<string>> Attributes { get; set; } = new(StringComparer.Ordinal);

    public HashSet<string> Members { get; } = new(StringComparer.Ordinal);
}
