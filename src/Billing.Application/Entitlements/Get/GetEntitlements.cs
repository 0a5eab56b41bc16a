using Billing.Application.Catalog;
using Billing.Application.Common.Results;
using Billing.Application.Organizations;
using Billing.Domain.Plans;
using Mediator;

namespace Billing.Application.Entitlements.Get;

/// <summary>
/// What the caller is entitled to now: the entitlements of the tier that gates their access (their own subscription's
/// or a team's, whichever is higher; trial while unpaid; a scheduled downgrade only once it happened). From the store
/// and the catalog: no call to Stripe.
/// </summary>
public sealed record GetEntitlements(string UserId) : IQuery<Result<EntitlementsView>>;

/// <summary>
/// The tier that gates the caller's access, the organization it comes from (null: their own), and what it entitles
/// to: a whole number or true/false by key, as the catalog names them.
/// </summary>
public sealed record EntitlementsView(string AccessTier, string? OrganizationId, IReadOnlyDictionary<string, object> Features);

public sealed class GetEntitlementsHandler(MemberAccess access, PlanCatalog catalog) : IQueryHandler<GetEntitlements, Result<EntitlementsView>>
{
    public async ValueTask<Result<EntitlementsView>> Handle(GetEntitlements query, CancellationToken cancellationToken)
    {
        var state = await access.AccessOfAsync(query.UserId, cancellationToken);
        if (!state.IsSuccess)
        {
            return state.Error!;
        }

        var tier = PlanCodes.TryParseTier(state.Value.Tier, out var parsed) ? parsed : Tier.Trial;
        return new EntitlementsView(tier.Code(), state.Value.BillingOrganizationId, catalog.EntitlementsOf(tier));
    }
}
