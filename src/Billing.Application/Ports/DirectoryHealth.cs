using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>What a health probe learns of the directory: whether it answers, and the attributes it would drop.</summary>
public sealed record DirectoryHealth(bool Reachable, IReadOnlyList<string> UndeclaredAttributes);
