using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>
/// What a health probe learns of the directory: whether it answers, the attributes it would drop, and whether its
/// realm keeps any attribute (no declarative user profile: Keycloak before 24).
/// </summary>
public sealed record DirectoryHealth(bool Reachable, IReadOnlyList<string> UndeclaredAttributes, bool KeepsAnyAttribute = false);
