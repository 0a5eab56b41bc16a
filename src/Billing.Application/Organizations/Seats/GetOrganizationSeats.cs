using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Domain.Plans;
using Mediator;

namespace Billing.Application.Organizations.Seats;

/// <summary>An organization's seats: what its subscription bills for, its members now, and the tier's bounds. Any member may read them.</summary>
public sealed record GetOrganizationSeats(string AccountKey, OrganizationCaller Organization) : IQuery<Result<SeatsView>>, IActsForOrganization
{
    OrganizationCaller? IActsForOrganization.Organization => Organization;

    public bool ChangesBilling => false;
}

/// <summary>
/// <see cref="Seats"/> is null without a subscription; <see cref="MinSeats"/>/<see cref="MaxSeats"/> are its tier's
/// bounds; <see cref="FollowsMembers"/> says the service sets the seats to the member count.
/// </summary>
public sealed record SeatsView(int? Seats, int Members, int MinSeats, int? MaxSeats, bool FollowsMembers);

public sealed class GetOrganizationSeatsHandler(IBillingAccountRepository accounts, IOrganizationDirectory organizations, Catalog.PlanCatalog catalog, SeatPolicy policy)
    : IQueryHandler<GetOrganizationSeats, Result<SeatsView>>
{
    public async ValueTask<Result<SeatsView>> Handle(GetOrganizationSeats query, CancellationToken cancellationToken)
    {
        var members = await organizations.CountMembersAsync(query.Organization.OrganizationId, cancellationToken);
        if (!members.IsSuccess)
        {
            return members.Error!;
        }

        var account = await accounts.FindAsync(query.AccountKey, cancellationToken);
        var live = account is { HasLiveSubscription: true };
        var tier = live ? catalog.FindTier(account!.Tier) : null;
        return new SeatsView(live ? account!.Seats : null, members.Value, tier?.MinSeats ?? 1, tier?.MaxSeats, policy.FollowsMembers);
    }
}
