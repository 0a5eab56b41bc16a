namespace Billing.Application.Ports;

/// <summary>An organization as the identity provider names it.</summary>
public sealed record OrganizationSummary(string Id, string Name);
