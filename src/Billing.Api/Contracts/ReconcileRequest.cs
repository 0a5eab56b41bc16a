namespace Billing.Api.Contracts;

/// <summary>Whom to reconcile.</summary>
/// <param name="UserId">The user's id (Keycloak subject).</param>
/// <param name="DryRun">Report what differs and repair nothing.</param>
public sealed record ReconcileRequest(string? UserId, bool? DryRun);
