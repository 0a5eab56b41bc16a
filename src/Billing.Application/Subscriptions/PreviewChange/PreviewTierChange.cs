using Billing.Application.Common.Limits;
using Billing.Application.Accounts;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Subscriptions.ChangeTier;
using Billing.Application.Organizations;
using Mediator;

namespace Billing.Application.Subscriptions.PreviewChange;

/// <summary>What a change of tier would cost now, from Stripe's invoice preview; changes nothing.</summary>
public sealed record PreviewTierChange(string UserId, string? NewTierId, string? BillingCycle, OrganizationCaller? Organization = null) : IQuery<Result<TierChangePreview>>, ICallsStripeForUser, IActsForOrganization
{
    /// <summary>Planning a change is the managers' (a member reads the status).</summary>
    public bool ChangesBilling => true;
}

/// <summary>
/// Amounts in minor units of <see cref="Currency"/> (the subscription's), billed now. <see cref="Tax"/> is the part of
/// <see cref="Total"/> that is tax (zero without Stripe Tax); <see cref="Subtotal"/> is before discounts and tax.
/// <see cref="EffectiveAt"/> is when the change takes effect: now, or the end of the period for a downgrade that
/// waits for it (<see cref="Scheduled"/>), which costs nothing now.
/// </summary>
public sealed record TierChangePreview(long AmountDue, long ProrationAmount, long Total, string Currency, IReadOnlyList<TierChangePreviewLine> Lines, long Subtotal = 0, long Tax = 0, DateTimeOffset? EffectiveAt = null, bool Scheduled = false);

public sealed record TierChangePreviewLine(string Description, long Amount, bool Proration);

public sealed class PreviewTierChangeHandler(TierChangePlanner planner, ISubscriptionGateway gateway)
    : IQueryHandler<PreviewTierChange, Result<TierChangePreview>>
{
    public async ValueTask<Result<TierChangePreview>> Handle(PreviewTierChange query, CancellationToken cancellationToken)
    {
        var plan = await planner.PlanAsync(query.UserId, query.NewTierId, query.BillingCycle, "preview", cancellationToken);
        if (!plan.IsSuccess)
        {
            return plan.Error!;
        }

        var planned = plan.Value;
        if (planned.WaitsForPeriodEnd)
        {
            // Nothing is billed until the period ends; then the new price, as any renewal.
            var currency = planned.Account.Currency ?? planned.Account.BillingCurrency ?? "usd";
            return new TierChangePreview(0, 0, 0, currency, [], EffectiveAt: planned.EffectiveAt, Scheduled: true);
        }

        var preview = await gateway.PreviewSubscriptionPriceChangeAsync(planned.Change, planned.Account.StripeCustomerId!, cancellationToken);
        return preview.Map(p => new TierChangePreview(
            p.AmountDue,
            p.Lines.Where(l => l.Proration).Sum(l => l.Amount),
            p.Total,
            p.Currency,
            p.Lines.Select(l => new TierChangePreviewLine(l.Description, l.Amount, l.Proration)).ToList(),
            p.Subtotal,
            p.Tax,
            planned.EffectiveAt));
    }
}
