using Billing.Application.Admin.Revenue;
using Billing.Application.Catalog;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;
using FluentValidation;
using Mediator;

namespace Billing.Application.Admin.RevenueHistory;

/// <summary>
/// Recurring revenue per calendar month (UTC), newest first, from the revenue movements recorded as Stripe's
/// reports were applied. A month's closing MRR is today's MRR less every movement after that month ended, so it
/// holds for accounts from before the history was kept too.
/// </summary>
public sealed record GetRevenueHistory(string? Currency, int? Months) : IQuery<Result<RevenueHistoryView>>;

public sealed record RevenueHistoryView(string Currency, DateTimeOffset AsOf, IReadOnlyList<RevenueMonth> Months);

/// <summary>One month: <see cref="Mrr"/> at its end (to date for the current month) and what moved it.</summary>
public sealed record RevenueMonth(string Month, long Mrr, RevenueMovementSummary Movements);

public sealed class GetRevenueHistoryValidator : AbstractValidator<GetRevenueHistory>
{
    public const int MaxMonths = 36;

    public GetRevenueHistoryValidator()
    {
        RuleFor(x => x.Currency)
            .Matches("^[A-Za-z]{3}$").When(x => x.Currency is not null)
            .WithMessage("currency must be a three-letter ISO code such as usd.")
            .OverridePropertyName("currency");
        RuleFor(x => x.Months)
            .InclusiveBetween(1, MaxMonths).When(x => x.Months is not null)
            .WithMessage($"months must be between 1 and {MaxMonths}.")
            .OverridePropertyName("months");
    }
}

public sealed class GetRevenueHistoryHandler(IBillingAccountRepository accounts, IRevenueLedger ledger, PlanCatalog catalog, TimeProvider clock)
    : IQueryHandler<GetRevenueHistory, Result<RevenueHistoryView>>
{
    public async ValueTask<Result<RevenueHistoryView>> Handle(GetRevenueHistory query, CancellationToken cancellationToken)
    {
        var currency = (query.Currency ?? catalog.Currency).ToLowerInvariant();
        var now = clock.GetUtcNow();
        var months = query.Months ?? 12;
        var thisMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var from = thisMonth.AddMonths(-(months - 1));

        // Today's run rate, exactly as GET /admin/revenue counts it: active subscriptions only.
        var live = await accounts.LiveInCurrencyAsync(currency, cancellationToken);
        var runRate = live.Where(a => a.Status == SubscriptionStatus.Active).Sum(a => (a.MonthlyRecurringAmount(now) ?? 0m) * 12m);
        var movements = (await ledger.SinceAsync(currency, from, cancellationToken)).Where(m => m.OccurredAt <= now).ToList();

        var result = new List<RevenueMonth>(months);
        var later = 0L;
        for (var start = thisMonth; start >= from; start = start.AddMonths(-1))
        {
            var end = start.AddMonths(1);
            var inMonth = movements.Where(m => m.OccurredAt >= start && m.OccurredAt < end).ToList();
            var closing = runRate - later;
            result.Add(new RevenueMonth(start.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), RevenueMovementSummary.Mrr((long)Math.Round(closing, MidpointRounding.AwayFromZero)), RevenueMovementSummary.Of(inMonth)));
            later += inMonth.Sum(m => m.CountedDelta);
        }

        return new RevenueHistoryView(currency, now, result);
    }
}
