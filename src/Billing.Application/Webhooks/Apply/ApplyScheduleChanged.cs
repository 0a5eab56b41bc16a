using Billing.Application.Catalog;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Accounts;
using Mediator;

namespace Billing.Application.Webhooks.Apply;

/// <summary>
/// A schedule's own event: the account notes the change it holds next (a downgrade scheduled in the customer portal
/// shows as <c>scheduled_change</c>, like one made here), or forgets it once the schedule ended. The plan of a phase
/// comes from its metadata, else from its price among the catalog's current prices (one Stripe read); a price the
/// catalog no longer sells names no plan, and then nothing is noted.
/// </summary>
public sealed class ApplyScheduleChanged(IBillingAccountRepository accounts, ICatalogGateway prices, PlanCatalog catalog) : IRequestHandler<ScheduleChanged, Result<string>>
{
    public async ValueTask<Result<string>> Handle(ScheduleChanged message, CancellationToken cancellationToken)
    {
        if (message.Reported is not { } schedule)
        {
            return $"Schedule {message.ScheduleId}: event in another API version; the next report of its subscription settles it.";
        }

        var account = message.CustomerId is { } customer ? await accounts.FindByStripeCustomerAsync(customer, cancellationToken) : null;
        if (account is null || (schedule.SubscriptionId is { } subscription && subscription != account.StripeSubscriptionId))
        {
            return $"Schedule {schedule.Id} is not about a subscription this service holds.";
        }

        ScheduledChange? next = null;
        if (schedule.Running && schedule.NextStartsAt is { } startsAt)
        {
            var plan = await PlanOfAsync(schedule, cancellationToken);
            if (!plan.IsSuccess)
            {
                return plan.Error!;
            }

            if (plan.Value is not { } known)
            {
                return $"Schedule {schedule.Id} moves to price {schedule.NextPriceId}, which the catalog does not sell; nothing noted.";
            }

            next = new ScheduledChange(schedule.Id, known.Tier, known.Cycle, startsAt);
        }

        var applied = account.ApplyScheduleReport(schedule.Id, next, message.CreatedAt);
        return !applied ? $"Schedule {schedule.Id}: nothing new for account {account.UserId}."
            : next is null ? $"Account {account.UserId}: the change scheduled by {schedule.Id} will not happen."
            : $"Account {account.UserId}: {next.Tier.ToString().ToLowerInvariant()} ({next.Cycle.ToString().ToLowerInvariant()}) from {next.EffectiveAt:yyyy-MM-dd}, by {schedule.Id}.";
    }

    private async Task<Result<PlanChoice?>> PlanOfAsync(ReportedSchedule schedule, CancellationToken cancellationToken)
    {
        if (schedule.NextTier is { } tier && schedule.NextCycle is { } cycle)
        {
            return new PlanChoice(tier, cycle);
        }

        if (schedule.NextPriceId is null)
        {
            return Result<PlanChoice?>.Success(null);
        }

        var current = await prices.FindPricesByLookupKeysAsync(catalog.AllPrices.Select(p => p.LookupKey).ToList(), cancellationToken);
        if (!current.IsSuccess)
        {
            return current.Error!;
        }

        var price = catalog.FindByLookupKey(current.Value.FirstOrDefault(p => p.Id == schedule.NextPriceId)?.LookupKey);
        return price is null ? Result<PlanChoice?>.Success(null) : new PlanChoice(price.Tier, price.Cycle);
    }
}
