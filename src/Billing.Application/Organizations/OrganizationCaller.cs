namespace Billing.Application.Organizations;

/// <summary>
/// A request about an organization's billing: which organization, who asks, and the realm roles their token carries.
/// Whether they belong to it is asked of Keycloak (<see cref="OrganizationAccessBehaviour{TMessage, TResponse}"/>),
/// never taken from the token.
/// </summary>
public sealed record OrganizationCaller(string OrganizationId, string UserId, IReadOnlyCollection<string> Roles);
