using Billing.Application.Common.Limits;
using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Catalog;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;
using Billing.Application.Organizations;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Subscriptions.ChangeTier;

/// <summary>
/// Moves the caller's subscription to another tier or cycle, prorated as configured. A cancellation scheduled for
/// the period end stays (the answer's cancel_at_period_end says so) unless <paramref name="KeepCancellation"/> is false.
/// </summary>
public sealed record ChangeSubscriptionTier(string UserId, string? NewTierId, string? BillingCycle, string? RequestKey = null, bool KeepCancellation = true, OrganizationCaller? Organization = null)
    : ICommand<Result<SubscriptionStatusView>>, ICallsStripeForUser, IActsForOrganization
{
    public bool ChangesBilling => true;
}

/// <summary>What the change needs from Stripe, found the same way for a change and for its preview.</summary>
public sealed class TierChangePlanner(PlanCatalog catalog, IBillingAccountRepository accounts, ISubscriptionGateway gateway, PlanPrices prices, IOptions<BillingOptions> options)
{
    /// <summary>
    /// The account, the change to send, and, when this very request already made the change (the pipeline ran it
    /// again after a concurrent change of the account), the subscription as Stripe holds it now.
    /// </summary>
    public async Task<Result<(Domain.Accounts.BillingAccount Account, SubscriptionPriceChange Change, GatewaySubscription? AlreadyMade)>> PlanAsync(
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

        if (account.Tier == tier && account.BillingCycle == cycle)
        {
            var held = await gateway.GetSubscriptionAsync(account.StripeSubscriptionId!, cancellationToken);
            return held.IsSuccess && SubscriptionChangeRequest.MadeBy(held.Value, requestKey)
                ? (account, null!, held.Value)
                : Error.Conflict("same_plan", $"Your subscription is already on {tier.Code()} ({cycle.Code()}).");
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
        return (account, new SubscriptionPriceChange(current.Value.Id, current.Value.ItemId, price.Value.Id, options.Value.ProrationBehavior, metadata, requestKey, AutomaticTax: options.Value.Tax.Automatic), null);
    }
}

public sealed class ChangeSubscriptionTierHandler(
    TierChangePlanner planner,
    ISubscriptionGateway gateway,
    SubscriptionChanges changes) : ICommandHandler<ChangeSubscriptionTier, Result<SubscriptionStatusView>>
{
    public async ValueTask<Result<SubscriptionStatusView>> Handle(ChangeSubscriptionTier command, CancellationToken cancellationToken)
    {
        var plan = await planner.PlanAsync(
            command.UserId,
            command.NewTierId,
            command.BillingCycle,
            $"billing-change-{command.UserId}-{command.RequestKey ?? Guid.NewGuid().ToString("N")}",
            cancellationToken);
        if (!plan.IsSuccess)
        {
            return plan.Error!;
        }

        var (account, change, alreadyMade) = plan.Value;
        if (alreadyMade is not null)
        {
            // Run again after a concurrent change: Stripe's state now, not a replay of the first answer.
            return changes.Apply(account, alreadyMade);
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
}
