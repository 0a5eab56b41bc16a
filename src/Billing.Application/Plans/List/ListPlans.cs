using Billing.Application.Common.Catalog;
using Billing.Application.Common.Ports;
using Billing.Domain.Plans;
using Mediator;

namespace Billing.Application.Plans.List;

/// <summary>The plan catalog; with a caller, also which tier and cycle they hold.</summary>
public sealed record ListPlans(string? UserId) : IQuery<PlanList>;

public sealed record PlanList(string Currency, IReadOnlyList<PlanView> Plans, CurrentPlan? Current);

/// <summary>A tier; <see cref="TrialDays"/> is the free trial a first subscription gets (the <c>trial</c> tier itself is paid).</summary>
public sealed record PlanView(string TierId, string Name, string? Description, IReadOnlyList<string> Features, IReadOnlyList<PlanPriceView> Prices, int TrialDays);

public sealed record PlanPriceView(string BillingCycle, string LookupKey, long UnitAmount, string Currency);

public sealed record CurrentPlan(string TierId, string? BillingCycle, string Status);

public sealed class ListPlansHandler(PlanCatalog catalog, IBillingAccountRepository accounts) : IQueryHandler<ListPlans, PlanList>
{
    public async ValueTask<PlanList> Handle(ListPlans query, CancellationToken cancellationToken)
    {
        var plans = catalog.Tiers
            .Select(t => new PlanView(
                t.Tier.Code(),
                t.Name,
                t.Description,
                t.Features,
                t.Prices.Select(p => new PlanPriceView(p.Cycle.Code(), p.LookupKey, p.UnitAmount, p.Currency)).ToList(),
                t.TrialDays))
            .ToList();

        CurrentPlan? current = null;
        if (query.UserId is { } userId && await accounts.FindAsync(userId, cancellationToken) is { } account)
        {
            current = new CurrentPlan(account.Tier.Code(), account.BillingCycle?.Code(), account.Status.Code());
        }

        return new PlanList(catalog.Currency, plans, current);
    }
}
