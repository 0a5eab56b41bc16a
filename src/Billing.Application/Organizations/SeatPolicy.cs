using Billing.Application.Catalog;
using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Domain.Plans;
using Microsoft.Extensions.Options;

namespace Billing.Application.Organizations;

/// <summary>
/// How many seats an organization's subscription bills for: what a manager asks, never fewer than its members
/// (409 <c>seats_below_members</c>) and within the tier's bounds (400 <c>seats_out_of_range</c>); with
/// <see cref="OrganizationSettings.SeatsFollowMembers"/>, its member count (within the bounds), whatever was asked.
/// </summary>
public sealed class SeatPolicy(IOrganizationDirectory organizations, PlanCatalog catalog, IOptions<BillingOptions> options)
{
    public bool FollowsMembers => options.Value.Organizations.SeatsFollowMembers;

    public async Task<Result<SeatCount>> DecideAsync(string organizationId, Tier tier, int? asked, CancellationToken cancellationToken)
    {
        var members = await organizations.CountMembersAsync(organizationId, cancellationToken);
        if (!members.IsSuccess)
        {
            return members.Error!;
        }

        // A tier the catalog no longer sells bounds nothing but the least, one seat.
        var sold = catalog.FindTier(tier) ?? new CatalogTier(tier, tier.Code(), null, [], []);
        var (least, most) = (sold.MinSeats, sold.MaxSeats);
        if (FollowsMembers)
        {
            if (asked is { } set && set != Math.Max(members.Value, least))
            {
                return Error.Conflict("seats_follow_members", $"This service sets an organization's seats to its member count ({members.Value}); add or remove members in Keycloak instead.");
            }

            return new SeatCount(Math.Max(members.Value, least), members.Value, least, most);
        }

        var seats = asked ?? Math.Max(members.Value, least);
        if (seats < members.Value)
        {
            return Error.Conflict("seats_below_members", $"The organization has {members.Value} members; it needs at least as many seats (asked for {seats}).");
        }

        if (!sold.Sells(seats))
        {
            return Error.Invalid("seats", "seats_out_of_range", $"The {tier.Code()} tier is sold with {sold.SeatRange} seats (asked for {seats}).");
        }

        return new SeatCount(seats, members.Value, least, most);
    }
}
