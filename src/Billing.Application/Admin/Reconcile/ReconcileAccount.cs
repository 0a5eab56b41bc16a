using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Admin.Reconcile;

/// <summary>
/// Reconciles one account in its own transaction: with what Stripe listed for its customer first (a deleted
/// customer, a subscription that differs, a live one the store does not hold), then, when Stripe and the store
/// agree, the store with Keycloak's attributes and Lago's customer and subscription. Stripe's differences are
/// applied by the same path as a webhook; Keycloak's and Lago's are queued again in the outbox.
/// </summary>
public sealed record ReconcileAccount(string UserId, IReadOnlyList<GatewaySubscription> StripeSubscriptions, bool CustomerDeleted, bool DryRun)
    : ICommand<Result<IReadOnlyList<DriftFinding>>>;

public sealed class ReconcileAccountHandler(
    IBillingAccountRepository accounts,
    StripeSubscriptionApplier subscriptions,
    SubscriptionTranslator translator,
    DeliveredStateCheck delivered,
    IAccountHistory history,
    Organizations.SeatPolicy seatPolicy,
    Organizations.TeamSeats teamSeats,
    TimeProvider clock) : ICommandHandler<ReconcileAccount, Result<IReadOnlyList<DriftFinding>>>
{
    // What this request's recount of a team's seats repaired. The handler lives as long as the request (scoped), and
    // a command run again after a concurrent change (the seat change's own webhook, often) runs on the same handler:
    // the run again finds the seats right and still reports what was repaired.
    private DriftFinding? _seatsRepairedByThisRequest;

    public async ValueTask<Result<IReadOnlyList<DriftFinding>>> Handle(ReconcileAccount command, CancellationToken cancellationToken)
    {
        var findings = new List<DriftFinding>();
        var account = await accounts.FindAsync(command.UserId, cancellationToken);
        var now = clock.GetUtcNow();
        if (account?.StripeCustomerId is { } customer && command.CustomerDeleted)
        {
            findings.Add(new DriftFinding(command.UserId, DriftKinds.DeletedCustomer, $"Stripe customer {customer} was deleted in Stripe; the account still held it.", !command.DryRun));
            if (!command.DryRun && account.ForgetDeletedCustomer(customer, now))
            {
                history.Add(AccountHistoryEntry.Record(account.UserId, now, "customer_deleted", $"Reconciliation found Stripe customer {customer} deleted; the account let go of it and its subscription, and the user may check out again."));
            }

            return findings;
        }

        var changesBefore = account?.PendingEvents.Count;
        var fromStripe = await CompareWithStripeAsync(command, account, findings, cancellationToken);
        if (!fromStripe.IsSuccess)
        {
            return fromStripe.Error!;
        }

        account ??= await accounts.FindAsync(command.UserId, cancellationToken);
        if (account is null || account.PendingEvents.Count != changesBefore || findings.Any(f => f.Kind is DriftKinds.Tier or DriftKinds.Status or DriftKinds.Subscription or DriftKinds.UnknownSubscription))
        {
            // What Stripe changed reaches Keycloak and Lago with the change itself; comparing them now proves nothing.
            return findings;
        }

        if (await RecountSeatsAsync(account, command.DryRun, now, cancellationToken) is { } seats)
        {
            // A team whose seats moved is delivered with the change; comparing Keycloak and Lago now proves nothing.
            findings.Add(seats);
            return findings;
        }

        findings.AddRange(await delivered.CompareAsync(account, command.DryRun, now, cancellationToken));
        return findings;
    }

    /// <summary>Where a team's seats follow its members: the members counted again, and the seats brought to them (one Stripe update).</summary>
    private async Task<DriftFinding?> RecountSeatsAsync(BillingAccount account, bool dryRun, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (account.OrganizationId is not { } organization || !account.HasLiveSubscription || !seatPolicy.FollowsMembers)
        {
            return null;
        }

        var decided = await seatPolicy.DecideAsync(organization, account.Tier, null, cancellationToken);
        if (!decided.IsSuccess)
        {
            return new DriftFinding(account.UserId, DriftKinds.CheckFailed, $"The organization's members could not be counted: {decided.Error!.Detail}", false);
        }

        if (decided.Value.Seats == account.Seats)
        {
            if (_seatsRepairedByThisRequest is not null)
            {
                // The first run's history went with its discarded unit of work.
                history.Add(AccountHistoryEntry.Record(account.UserId, now, "seats", $"Reconciliation set the seats to the {decided.Value.Members} members."));
            }

            return _seatsRepairedByThisRequest;
        }

        var detail = $"The organization has {decided.Value.Members} members; its subscription bills {account.Seats} seats.";
        if (dryRun)
        {
            return new DriftFinding(account.UserId, DriftKinds.Seats, detail, false);
        }

        var set = await teamSeats.SetAsync(account, null, cancellationToken);
        if (!set.IsSuccess)
        {
            return new DriftFinding(account.UserId, DriftKinds.CheckFailed, $"{detail} Setting {decided.Value.Seats} seats failed: {set.Error!.Detail}", false);
        }

        history.Add(AccountHistoryEntry.Record(account.UserId, now, "seats", $"Reconciliation set the seats to the {decided.Value.Members} members."));
        _seatsRepairedByThisRequest = new DriftFinding(account.UserId, DriftKinds.Seats, detail, true);
        return _seatsRepairedByThisRequest;
    }

    private async Task<Result<bool>> CompareWithStripeAsync(ReconcileAccount command, BillingAccount? account, List<DriftFinding> findings, CancellationToken cancellationToken)
    {
        var held = account?.StripeSubscriptionId is { } heldId ? command.StripeSubscriptions.FirstOrDefault(s => s.Id == heldId) : null;
        if (account is { HasLiveSubscription: true } && held is null && account.StripeCustomerId is not null)
        {
            findings.Add(new DriftFinding(command.UserId, DriftKinds.MissingSubscription, $"The account holds live subscription {account.StripeSubscriptionId}, which Stripe does not list for customer {account.StripeCustomerId}; look into it by hand.", false));
        }

        var differences = held is null ? [] : Differences(account!, held);
        findings.AddRange(differences.Select(d => d with { Repaired = !command.DryRun }));
        if (differences.Count > 0 && !command.DryRun)
        {
            var applied = await subscriptions.ApplyAsync(SubscriptionReadReason.Reconciliation, held!.Id, command.UserId, null, cancellationToken);
            if (!applied.IsSuccess)
            {
                return applied.Error!;
            }
        }

        foreach (var unknown in command.StripeSubscriptions.Where(s => s.Id != account?.StripeSubscriptionId && s.IsLive))
        {
            findings.Add(new DriftFinding(command.UserId, DriftKinds.UnknownSubscription, $"Stripe subscription {unknown.Id} ({unknown.Status}) of customer {unknown.CustomerId} is not the one the store holds for the user ({account?.StripeSubscriptionId ?? "none"}).", !command.DryRun));
            if (!command.DryRun)
            {
                var applied = await subscriptions.ApplyAsync(SubscriptionReadReason.Reconciliation, unknown.Id, command.UserId, null, cancellationToken);
                if (!applied.IsSuccess)
                {
                    return applied.Error!;
                }
            }
        }

        return true;
    }

    private List<DriftFinding> Differences(BillingAccount account, GatewaySubscription held)
    {
        var differences = new List<DriftFinding>();
        if (translator.Translate(held) is not { IsSuccess: true } translated)
        {
            return differences;
        }

        var stripe = translated.Value;
        if (stripe.Status != account.Status)
        {
            differences.Add(new DriftFinding(account.UserId, DriftKinds.Status, $"Stripe says {held.Id} is {stripe.Status.Code()}; the store says {account.Status.Code()}.", false));
        }

        if (!stripe.Status.IsTerminal() && stripe.Tier != account.Tier)
        {
            differences.Add(new DriftFinding(account.UserId, DriftKinds.Tier, $"Stripe says {held.Id} is on {stripe.Tier.Code()}; the store says {account.Tier.Code()}.", false));
        }
        else if (!stripe.Status.IsTerminal() && (stripe.Cycle != account.BillingCycle || stripe.CancelAtPeriodEnd != account.CancelAtPeriodEnd || stripe.CurrentPeriodEnd != account.CurrentPeriodEnd))
        {
            differences.Add(new DriftFinding(account.UserId, DriftKinds.Subscription, $"Stripe's {held.Id} differs in cycle, period or scheduled cancellation (period end {stripe.CurrentPeriodEnd:O} / {account.CurrentPeriodEnd:O}; cancel at period end {stripe.CancelAtPeriodEnd} / {account.CancelAtPeriodEnd}).", false));
        }

        return differences;
    }
}
