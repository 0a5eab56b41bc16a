using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Organizations;

/// <summary>
/// Lets a request act on an organization's account only for a member of it, as Keycloak says (asked through the
/// admin API and remembered a short while, see <see cref="IOrganizationDirectory"/>); a change also needs the
/// billing role (<see cref="OrganizationSettings.BillingRole"/>). A stranger learns nothing: an organization they are
/// not in answers as one that does not exist (404); a member without the role gets 403.
/// </summary>
public sealed class OrganizationAccessBehaviour<TMessage, TResponse>(IOrganizationDirectory organizations, IOptions<BillingOptions> options)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IActsForOrganization, IMessage
    where TResponse : IFailable<TResponse>
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message.Organization is not { } caller)
        {
            return await next(message, cancellationToken);
        }

        if (!options.Value.Organizations.Enabled)
        {
            return TResponse.Fail(OrganizationErrors.NotEnabled);
        }

        // Keycloak's organization ids are UUIDs: anything else names no organization, and Keycloak is not asked.
        if (!Guid.TryParse(caller.OrganizationId, out _))
        {
            return TResponse.Fail(NotFound(caller));
        }

        var membership = await organizations.FindMembershipAsync(caller.OrganizationId, caller.UserId, cancellationToken);
        if (!membership.IsSuccess)
        {
            return TResponse.Fail(membership.Error!);
        }

        if (membership.Value != OrganizationMembership.Member)
        {
            return TResponse.Fail(NotFound(caller));
        }

        var role = options.Value.Organizations.BillingRole;
        if (message.ChangesBilling && !caller.Roles.Contains(role, StringComparer.Ordinal))
        {
            return TResponse.Fail(new Error(ErrorKind.Forbidden, "organization_billing_role_required", $"Changing an organization's billing needs the realm role {role}; any member may read it."));
        }

        return await next(message, cancellationToken);
    }

    private static Error NotFound(OrganizationCaller caller) =>
        Error.NotFound("organization_not_found", $"There is no organization {caller.OrganizationId} you belong to.");
}
