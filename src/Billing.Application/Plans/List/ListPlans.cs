using Billing.Application.Catalog;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;
using Mediator;

namespace Billing.Application.Plans.List;

/// <summary>
/// The plan catalog in one currency; with a caller, also which tier and cycle they hold. Without a currency, the
/// caller's billing currency (a customer stays in the currency of their first subscription), else the default.
/// </summary>
public sealed record ListPlans(string? UserId, string? Currency = null) : IQuery<Result<PlanList>>;

/// <summary>The plans priced in <see cref="Currency"/>; <see cref="Currencies"/> lists every currency the catalog sells in.</summary>
public sealed record PlanList(string Currency, IReadOnlyList<string> Currencies, IReadOnlyList<PlanView> Plans, CurrentPlan? Current);

/// <summary>A tier; <see cref="TrialDays"/> is the free trial a first subscription gets (the <c>trial</c> tier itself is paid).</summary>
/// <summary>A tier on sale: <see cref="Highlights"/> are the pricing page's lines, <see cref="Features"/> what it entitles to (a whole number or true/false by key).</summary>
public sealed record PlanView(string TierId, string Name, string? Description, IReadOnlyList<string> Highlights, IReadOnlyList<PlanPriceView> Prices, int TrialDays, IReadOnlyDictionary<string, object> Features);

/// <summary>A price in the list's currency; <see cref="TaxBehavior"/> says whether tax is added (exclusive) or included, when Stripe Tax is on.</summary>
public sealed record PlanPriceView(string BillingCycle, string LookupKey, long UnitAmount, string Currency, string? TaxBehavior = null);

/// <summary>The caller's plan; <see cref="BillingCurrency"/> is the currency every checkout of theirs is in, once they have paid.</summary>
public sealed record CurrentPlan(string TierId, string? BillingCycle, string Status, string? BillingCurrency = null);

public sealed class ListPlansHandler(PlanCatalog catalog, IBillingAccountRepository accounts, Microsoft.Extensions.Options.IOptions<Common.BillingOptions> options)
    : IQueryHandler<ListPlans, Result<PlanList>>
{
    public async ValueTask<Result<PlanList>> Handle(ListPlans query, CancellationToken cancellationToken)
    {
        var account = query.UserId is { } userId ? await accounts.FindAsync(userId, cancellationToken) : null;
        var currency = catalog.ChooseCurrency(query.Currency ?? (account?.BillingCurrency is { } held && catalog.Currencies.Contains(held) ? held : null));
        if (!currency.IsSuccess)
        {
            return currency.Error!;
        }

        var taxBehavior = options.Value.Tax.PriceTaxBehavior;
        var plans = catalog.Tiers
            .Select(t => new PlanView(
                t.Tier.Code(),
                t.Name,
                t.Description,
                t.Highlights,
                t.Prices
                    .Where(p => p.AmountIn(currency.Value) is not null)
                    .Select(p => new PlanPriceView(p.Cycle.Code(), p.LookupKey, p.AmountIn(currency.Value)!.Value, currency.Value, taxBehavior))
                    .ToList(),
                t.TrialDays,
                catalog.EntitlementsOf(t.Tier)))
            .Where(p => p.Prices.Count > 0)
            .ToList();

        var current = account is null ? null : new CurrentPlan(account.Tier.Code(), account.BillingCycle?.Code(), account.Status.Code(), account.BillingCurrency);
        return new PlanList(currency.Value, catalog.Currencies, plans, current);
    }
}
