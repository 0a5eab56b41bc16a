using Billing.Application.Catalog;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;
using FluentValidation;
using Mediator;

namespace Billing.Application.Admin.Revenue;

/// <summary>
/// Recurring revenue in one currency, from this service's store only (no Stripe call): MRR and ARR of the
/// subscriptions that pay now, with trials and subscriptions whose payment is failing counted apart.
/// </summary>
public sealed record GetRevenue(string? Currency) : IQuery<Result<RevenueView>>;

/// <summary>Amounts in minor units of <see cref="Currency"/>, tax excluded, yearly prices counted per month.</summary>
public sealed record RevenueView(
    string Currency,
    DateTimeOffset AsOf,
    long Mrr,
    long Arr,
    int PayingSubscriptions,
    IReadOnlyList<RevenueByPlan> ByPlan,
    RevenueGroup Trialing,
    RevenueGroup AtRisk,
    RevenueMovementSummary ThirtyDayMovements);

public sealed record RevenueByPlan(string TierId, string BillingCycle, int Subscriptions, long Mrr);

/// <summary>Subscriptions not in MRR and what they would add to it (trials converting, failing payments recovered).</summary>
public sealed record RevenueGroup(int Subscriptions, long Mrr);

public sealed class GetRevenueValidator : AbstractValidator<GetRevenue>
{
    public GetRevenueValidator() =>
        RuleFor(x => x.Currency)
            .Matches("^[A-Za-z]{3}$").When(x => x.Currency is not null)
            .WithMessage("currency must be a three-letter ISO code such as usd.")
            .OverridePropertyName("currency");
}

public sealed class GetRevenueHandler(IBillingAccountRepository accounts, IRevenueLedger ledger, PlanCatalog catalog, TimeProvider clock) : IQueryHandler<GetRevenue, Result<RevenueView>>
{
    public async ValueTask<Result<RevenueView>> Handle(GetRevenue query, CancellationToken cancellationToken)
    {
        var currency = (query.Currency ?? catalog.Currency).ToLowerInvariant();
        var now = clock.GetUtcNow();
        var live = await accounts.LiveInCurrencyAsync(currency, cancellationToken);
        var paying = live.Where(a => a.Status == SubscriptionStatus.Active).ToList();
        var trialing = live.Where(a => a.Status == SubscriptionStatus.Trialing).ToList();
        var atRisk = live.Where(a => a.Status is SubscriptionStatus.PastDue or SubscriptionStatus.Unpaid).ToList();

        // Rounded once per group, so the parts add up to the whole as shown.
        long Sum(IEnumerable<Domain.Accounts.BillingAccount> group) => (long)Math.Round(group.Sum(a => a.MonthlyRecurringAmount(now) ?? 0m), MidpointRounding.AwayFromZero);
        var mrr = Sum(paying);
        var byPlan = paying
            .GroupBy(a => (a.Tier, Cycle: a.BillingCycle!.Value))
            .OrderBy(g => g.Key.Tier).ThenBy(g => g.Key.Cycle)
            .Select(g => new RevenueByPlan(g.Key.Tier.Code(), g.Key.Cycle.Code(), g.Count(), Sum(g)))
            .ToList();
        var movements = await ledger.SinceAsync(currency, now.AddDays(-30), cancellationToken);
        return new RevenueView(
            currency,
            now,
            mrr,
            mrr * 12,
            paying.Count,
            byPlan,
            new RevenueGroup(trialing.Count, Sum(trialing)),
            new RevenueGroup(atRisk.Count, Sum(atRisk)),
            RevenueMovementSummary.Of(movements.Where(m => m.OccurredAt <= now)));
    }
}
