using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Organizations.List;

/// <summary>The organizations the caller belongs to, as Keycloak says, each with its subscription here and whether the caller may manage it.</summary>
public sealed record ListCallerOrganizations(string UserId, IReadOnlyCollection<string> Roles) : IQuery<Result<IReadOnlyList<OrganizationView>>>;

/// <summary>
/// One of the caller's organizations: <see cref="TierId"/> and <see cref="Status"/> of its subscription (<c>none</c>
/// before its first), its <see cref="Seats"/>, and <see cref="CanManage"/>: whether the caller holds the billing role.
/// </summary>
public sealed record OrganizationView(string OrganizationId, string Name, string TierId, string Status, int? Seats, bool CanManage);

public sealed class ListCallerOrganizationsHandler(IOrganizationDirectory organizations, IBillingAccountRepository accounts, IOptions<BillingOptions> options)
    : IQueryHandler<ListCallerOrganizations, Result<IReadOnlyList<OrganizationView>>>
{
    public async ValueTask<Result<IReadOnlyList<OrganizationView>>> Handle(ListCallerOrganizations query, CancellationToken cancellationToken)
    {
        var settings = options.Value.Organizations;
        if (!settings.Enabled)
        {
            return OrganizationErrors.NotEnabled;
        }

        var teams = await organizations.OrganizationsOfAsync(query.UserId, cancellationToken);
        if (!teams.IsSuccess)
        {
            return teams.Error!;
        }

        var manages = query.Roles.Contains(settings.BillingRole, StringComparer.Ordinal);
        var views = new List<OrganizationView>();
        foreach (var team in teams.Value)
        {
            var account = await accounts.FindAsync(AccountHolder.ForOrganization(team.Id), cancellationToken);
            views.Add(new OrganizationView(
                team.Id,
                team.Name,
                account?.Tier.Code() ?? Domain.Plans.Tier.Trial.Code(),
                account?.Status.Code() ?? Domain.Plans.SubscriptionStatus.None.Code(),
                account is { HasLiveSubscription: true } ? account.Seats : null,
                manages));
        }

        return views;
    }
}
