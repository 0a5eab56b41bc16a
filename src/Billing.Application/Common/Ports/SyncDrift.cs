namespace Billing.Application.Common.Ports;

/// <summary>One way Keycloak or Lago holds an account differently from the store (<see cref="Kind"/> names it for the report).</summary>
public sealed record SyncDrift(string Kind, string Detail);
