using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Catalog.Migrate;

/// <summary>
/// Moves one subscription off a superseded price onto the plan's current one: at its next renewal (a schedule: the
/// customer pays the old price until then) or now (with the configured proration). The subscription is read again
/// first, so one already moved is left alone; the move is recorded in the account's history with the change.
/// </summary>
public sealed record MigrateSubscription(string SubscriptionId, string CurrentPriceId, bool AtRenewal) : ICommand<Result<PriceMigrationOutcome>>;

/// <summary>What happened to the subscription: <c>moved</c>, <c>scheduled</c> (at its renewal), or <c>already_current</c>.</summary>
public sealed record PriceMigrationOutcome(string SubscriptionId, string Outcome, string? AccountKey, DateTimeOffset? EffectiveAt);

public sealed class MigrateSubscriptionHandler(ISubscriptionGateway subscriptions, ISubscriptionScheduleGateway schedules, IAccountHistory history, TimeProvider clock, IOptions<BillingOptions> options)
    : ICommandHandler<MigrateSubscription, Result<PriceMigrationOutcome>>
{
    public async ValueTask<Result<PriceMigrationOutcome>> Handle(MigrateSubscription command, CancellationToken cancellationToken)
    {
        var read = await subscriptions.GetSubscriptionAsync(command.SubscriptionId, cancellationToken);
        if (!read.IsSuccess)
        {
            return read.Error!;
        }

        var subscription = read.Value;
        var account = BillingMetadata.AccountKeyOf(subscription.Metadata);
        if (subscription.PriceId == command.CurrentPriceId || !subscription.IsLive)
        {
            return new PriceMigrationOutcome(subscription.Id, "already_current", account, null);
        }

        var key = $"billing-migrate-{subscription.Id}-{command.CurrentPriceId}";
        var now = clock.GetUtcNow();
        PriceMigrationOutcome outcome;
        if (command.AtRenewal)
        {
            var scheduled = await schedules.ScheduleAtPeriodEndAsync(
                new ScheduledPriceChange(subscription.Id, subscription.ScheduleId, command.CurrentPriceId, subscription.Quantity ?? 1, subscription.Metadata, key),
                cancellationToken);
            if (!scheduled.IsSuccess)
            {
                return scheduled.Error!;
            }

            outcome = new PriceMigrationOutcome(subscription.Id, "scheduled", account, scheduled.Value.EffectiveAt);
        }
        else
        {
            var moved = await subscriptions.ChangeSubscriptionPriceAsync(
                new SubscriptionPriceChange(subscription.Id, subscription.ItemId, command.CurrentPriceId, options.Value.ProrationBehavior, subscription.Metadata, key, AutomaticTax: options.Value.Tax.Automatic),
                cancellationToken);
            if (!moved.IsSuccess)
            {
                return moved.Error!;
            }

            outcome = new PriceMigrationOutcome(subscription.Id, "moved", account, now);
        }

        if (account is not null)
        {
            var when = command.AtRenewal ? $"at its renewal on {outcome.EffectiveAt:yyyy-MM-dd}" : "now, prorated as configured";
            history.Add(AccountHistoryEntry.Record(account, now, "price_migrated", $"Subscription {subscription.Id} moves from price {subscription.PriceId} to the current {command.CurrentPriceId} {when} (catalog migrate)."));
        }

        return outcome;
    }
}
