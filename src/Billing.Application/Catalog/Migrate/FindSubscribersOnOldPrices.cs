using Billing.Application.Accounts;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Domain.Plans;
using Mediator;

namespace Billing.Application.Catalog.Migrate;

/// <summary>
/// The live subscriptions of a plan (tier and cycle) still on a superseded price: what <c>catalog migrate</c> would
/// move. Those already scheduled to move to the current price at their renewal are not listed, so a run that was
/// interrupted goes on where it stopped.
/// </summary>
public sealed record FindSubscribersOnOldPrices(string? TierId, string? BillingCycle) : IQuery<Result<PriceMigrationPlan>>;

/// <summary>The plan's current price and the subscriptions still on older ones.</summary>
public sealed record PriceMigrationPlan(string Plan, string CurrentPriceId, IReadOnlyList<PriceMigrationCandidate> Candidates);

/// <summary>A subscription on an old price: whose it is (null when Stripe's metadata does not say), and until when its period runs.</summary>
public sealed record PriceMigrationCandidate(string SubscriptionId, string? AccountKey, string OldPriceId, DateTimeOffset? PeriodEnd);

public sealed class FindSubscribersOnOldPricesHandler(PlanCatalog catalog, PlanPrices prices, ISubscriptionGateway subscriptions, ISubscriptionScheduleGateway schedules, SubscriptionTranslator translator)
    : IQueryHandler<FindSubscribersOnOldPrices, Result<PriceMigrationPlan>>
{
    public async ValueTask<Result<PriceMigrationPlan>> Handle(FindSubscribersOnOldPrices query, CancellationToken cancellationToken)
    {
        var choice = catalog.Choose(query.TierId, query.BillingCycle, "tier");
        if (!choice.IsSuccess)
        {
            return choice.Error!;
        }

        var current = await prices.FindAsync(choice.Value, catalog.Currency, cancellationToken);
        if (!current.IsSuccess)
        {
            return current.Error!;
        }

        var all = await subscriptions.ListSubscriptionsAsync(null, cancellationToken);
        if (!all.IsSuccess)
        {
            return all.Error!;
        }

        var candidates = new List<PriceMigrationCandidate>();
        foreach (var subscription in all.Value.Where(s => s.IsLive && s.PriceId != current.Value.Id))
        {
            if (translator.Translate(subscription) is not { IsSuccess: true } read || read.Value.Tier != choice.Value.Tier || read.Value.Cycle != choice.Value.Cycle)
            {
                continue;
            }

            if (subscription.ScheduleId is { } scheduleId)
            {
                var next = await schedules.FindNextPriceAsync(scheduleId, cancellationToken);
                if (!next.IsSuccess)
                {
                    return next.Error!;
                }

                if (next.Value == current.Value.Id)
                {
                    continue;
                }
            }

            candidates.Add(new PriceMigrationCandidate(subscription.Id, BillingMetadata.AccountKeyOf(subscription.Metadata), subscription.PriceId, subscription.CurrentPeriodEnd));
        }

        return new PriceMigrationPlan(choice.Value.Tier.Code() + "_" + choice.Value.Cycle.Code(), current.Value.Id, candidates);
    }
}
