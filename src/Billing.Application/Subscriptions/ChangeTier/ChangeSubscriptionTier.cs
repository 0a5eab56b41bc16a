using Billing.Application.Common.Limits;
using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Catalog;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;
using Billing.Application.Organizations;
using Billing.Application.Subscriptions.ScheduledChanges;
using Billing.Domain.Accounts;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Subscriptions.ChangeTier;

/// <summary>
/// Moves the caller's subscription to another tier or cycle. An upgrade happens at once, prorated as configured, and
/// replaces a change scheduled before it. A downgrade (a lower tier, or yearly to monthly) of a paid period waits for
/// the period's end when <see cref="BillingOptions.Downgrades"/> says so: the customer keeps what they paid for, and
/// Stripe moves the subscription then (a subscription schedule). A cancellation scheduled for the period end stays
/// (the answer's cancel_at_period_end says so) unless <paramref name="KeepCancellation"/> is false; a downgrade
/// scheduled for the moment the subscription ends would never happen, so it needs the cancellation lifted.
/// </summary>
public sealed record ChangeSubscriptionTier(string UserId, string? NewTierId, string? BillingCycle, string? RequestKey = null, bool KeepCancellation = true, OrganizationCaller? Organization = null)
    : ICommand<Result<SubscriptionStatusView>>, ICallsStripeForUser, IActsForOrganization
{
    public bool ChangesBilling => true;
}

/// <summary>
/// A change of tier as planned: the account, the change to send, when it takes effect (<see cref="WaitsForPeriodEnd"/>:
/// at the end of the period; else now), and, when this very request already made the change (the pipeline ran it
/// again after a concurrent change of the account), the subscription as Stripe holds it now.
/// </summary>
public sealed record PlannedTierChange(Domain.Accounts.BillingAccount Account, SubscriptionPriceChange Change, GatewaySubscription? AlreadyMade, Tier Tier, BillingCycle Cycle, DateTimeOffset EffectiveAt, bool WaitsForPeriodEnd);

/// <summary>What the change needs from Stripe, found the same way for a change and for its preview.</summary>
public sealed class TierChangePlanner(PlanCatalog catalog, IBillingAccountRepository accounts, ISubscriptionGateway gateway, PlanPrices prices, TimeProvider clock, IOptions<BillingOptions> options)
{
    public async Task<Result<PlannedTierChange>> PlanAsync(
        string userId, string? tierId, string? cycleId, string requestKey, CancellationToken cancellationToken)
    {
        var choice = catalog.Choose(tierId, cycleId, "new_tier_id");
        if (!choice.IsSuccess)
        {
            return choice.Error!;
        }

        var (tier, cycle) = (choice.Value.Tier, choice.Value.Cycle);
        var account = await accounts.FindAsync(userId, cancellationToken);
        if (account is not { HasLiveSubscription: true })
        {
            return Error.NotFound("subscription_not_found", "You have no live subscription to change; start one with POST /api/v1/billing/checkout/create.");
        }

        var now = clock.GetUtcNow();
        if (account.Tier == tier && account.BillingCycle == cycle)
        {
            var held = await gateway.GetSubscriptionAsync(account.StripeSubscriptionId!, cancellationToken);
            return held.IsSuccess && SubscriptionChangeRequest.MadeBy(held.Value, requestKey)
                ? new PlannedTierChange(account, null!, held.Value, tier, cycle, now, false)
                : Error.Conflict("same_plan", account.ScheduledChange is null
                    ? $"Your subscription is already on {tier.Code()} ({cycle.Code()})."
                    : $"Your subscription is already on {tier.Code()} ({cycle.Code()}); to keep it after the period ends, lift the scheduled change with DELETE /api/v1/billing/subscription/scheduled-change.");
        }

        // A team keeps its seats through a change of tier, so the new tier must sell that many.
        if (account.OrganizationId is not null && account.Seats is { } seats && catalog.FindTier(tier) is { } sold && !sold.Sells(seats))
        {
            return Error.Invalid("new_tier_id", "seats_out_of_range", $"The {tier.Code()} tier is sold with {sold.SeatRange} seats; the organization has {seats}. Change its seats first.");
        }

        // The subscription stays in its currency (Stripe's rule), so the new price must be sold in it.
        var currency = account.Currency ?? account.BillingCurrency ?? catalog.Currency;
        if (catalog.Find(tier, cycle)!.AmountIn(currency) is null)
        {
            return Error.Invalid("new_tier_id", "currency_not_offered", $"The {tier.Code()} tier has no {cycle.Code()} price in {currency.ToUpperInvariant()}, the currency your subscription is billed in.");
        }

        var price = await prices.FindAsync(choice.Value, currency, cancellationToken);
        if (!price.IsSuccess)
        {
            return price.Error!;
        }

        var current = await gateway.GetSubscriptionAsync(account.StripeSubscriptionId!, cancellationToken);
        if (!current.IsSuccess)
        {
            return current.Error!;
        }

        // The tier in metadata is replaced in the same call, so no later event can write the old one back.
        var holder = BillingMetadata.HolderOf(userId);
        var metadata = new Dictionary<string, string>
        {
            [holder.Key] = holder.Value,
            [BillingMetadata.Tier] = tier.Code(),
            [BillingMetadata.BillingCycle] = cycle.Code(),
            [SubscriptionChangeRequest.MetadataKey] = requestKey,
        };
        // A paid period is kept: a downgrade waits for its end (a trial's, unpaid, does not).
        var waits = options.Value.SchedulesDowngrades && account.Status == SubscriptionStatus.Active && account.CurrentPeriodEnd is { } end && end > now &&
            account.BillingCycle is { } heldCycle && PlanChange.IsDowngrade(account.Tier, heldCycle, tier, cycle);
        var change = new SubscriptionPriceChange(current.Value.Id, current.Value.ItemId, price.Value.Id, options.Value.ProrationBehavior, metadata, requestKey, AutomaticTax: options.Value.Tax.Automatic);
        return new PlannedTierChange(account, change, null, tier, cycle, waits ? account.CurrentPeriodEnd!.Value : now, waits);
    }
}

public sealed class ChangeSubscriptionTierHandler(
    TierChangePlanner planner,
    ISubscriptionGateway gateway,
    ISubscriptionScheduleGateway schedules,
    ScheduledChangeRelease release,
    SubscriptionChanges changes,
    TimeProvider clock,
    IOptions<BillingOptions> options) : ICommandHandler<ChangeSubscriptionTier, Result<SubscriptionStatusView>>
{
    public async ValueTask<Result<SubscriptionStatusView>> Handle(ChangeSubscriptionTier command, CancellationToken cancellationToken)
    {
        var requestKey = command.RequestKey ?? Guid.NewGuid().ToString("N");
        var plan = await planner.PlanAsync(command.UserId, command.NewTierId, command.BillingCycle, $"billing-change-{command.UserId}-{requestKey}", cancellationToken);
        if (!plan.IsSuccess)
        {
            return plan.Error!;
        }

        var planned = plan.Value;
        var (account, change) = (planned.Account, planned.Change);
        if (planned.AlreadyMade is not null)
        {
            // Run again after a concurrent change: Stripe's state now, not a replay of the first answer.
            return changes.Apply(account, planned.AlreadyMade);
        }

        if (planned.WaitsForPeriodEnd)
        {
            return await ScheduleAsync(command, planned, requestKey, cancellationToken);
        }

        // An upgrade now replaces whatever was scheduled for the period's end.
        var released = await release.ReleaseAsync(account, requestKey, cancellationToken);
        if (!released.IsSuccess)
        {
            return released.Error!;
        }

        if (!command.KeepCancellation && account.CancelAtPeriodEnd)
        {
            change = change with { CancelAtPeriodEnd = false };
        }

        var changed = await gateway.ChangeSubscriptionPriceAsync(change, cancellationToken);
        if (!changed.IsSuccess)
        {
            return changed.Error!;
        }

        return changes.Apply(account, changed.Value);
    }

    private async Task<Result<SubscriptionStatusView>> ScheduleAsync(ChangeSubscriptionTier command, PlannedTierChange planned, string requestKey, CancellationToken cancellationToken)
    {
        var account = planned.Account;
        if (account.CancelAtPeriodEnd)
        {
            if (command.KeepCancellation)
            {
                return Error.Conflict("cancellation_scheduled", "Your subscription ends when the period ends, when this downgrade would take effect; resume it first, or send keep_cancellation=false.");
            }

            var kept = await gateway.KeepSubscriptionAsync(account.StripeSubscriptionId!, $"billing-keep-{command.UserId}-{requestKey}", cancellationToken);
            if (!kept.IsSuccess)
            {
                return kept.Error!;
            }

            changes.Apply(account, kept.Value);
        }

        var scheduled = await schedules.ScheduleAtPeriodEndAsync(
            new ScheduledPriceChange(account.StripeSubscriptionId!, account.StripeScheduleId, planned.Change.NewPriceId, account.Seats ?? 1, planned.Change.Metadata, $"billing-schedule-{command.UserId}-{requestKey}"),
            cancellationToken);
        if (!scheduled.IsSuccess)
        {
            return scheduled.Error!;
        }

        var now = clock.GetUtcNow();
        account.ScheduleChange(new ScheduledChange(scheduled.Value.Id, planned.Tier, planned.Cycle, scheduled.Value.EffectiveAt), now);
        return SubscriptionStatusView.Of(account, now, options.Value);
    }
}
