namespace Billing.Application.Ports;

/// <summary>
/// What <c>keycloak setup</c> declared (or would) in the realm's user profile; <see cref="RealmKeepsAnyAttribute"/>
/// when the realm has no declarative user profile (Keycloak before 24), which keeps every attribute written.
/// </summary>
public sealed record AttributeDeclaration(IReadOnlyList<string> Declared, bool RealmKeepsAnyAttribute = false);
