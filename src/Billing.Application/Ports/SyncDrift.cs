using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>One way Keycloak or Lago holds an account differently from the store (<see cref="Kind"/> names it for the report).</summary>
public sealed record SyncDrift(string Kind, string Detail)
{
    /// <summary>The directory has no such user: reported, never repaired (the service does not create users).</summary>
    public const string IdentityUserMissing = "keycloak_user_missing";
}
