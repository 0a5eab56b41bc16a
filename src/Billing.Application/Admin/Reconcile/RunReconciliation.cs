using Billing.Application.Common.Audit;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Billing.Application.Admin.Reconcile;

/// <summary>
/// Compares Stripe with the store, and the store with Keycloak and Lago, for one user or for every account, and
/// repairs what differs through the normal paths (unless <see cref="DryRun"/>). Stripe's subscriptions and
/// customers are listed a hundred at a time, so a full run costs about two requests per hundred accounts, within
/// the Stripe request budget. Each account is reconciled in its own scope and transaction; the report is kept.
/// </summary>
public sealed record RunReconciliation(string? UserId, bool DryRun, string Trigger) : ICommand<Result<ReconciliationReport>>, IAdminAction
{
    public string AdminId => Trigger;

    public string AuditTarget => UserId is null ? "all accounts" : $"account {UserId}";
}

public sealed class RunReconciliationValidator : AbstractValidator<RunReconciliation>
{
    public RunReconciliationValidator()
    {
        RuleFor(x => x.UserId).NotEmpty().MaximumLength(128).When(x => x.UserId is not null).OverridePropertyName("user_id");
        RuleFor(x => x.Trigger).NotEmpty().MaximumLength(128);
    }
}

public sealed class RunReconciliationHandler(
    ICustomerGateway customerGateway,
    ISubscriptionGateway subscriptionGateway,
    IBillingAccountRepository accounts,
    IReconciliationLog log,
    ISeparateScopes scopes,
    TimeProvider clock,
    ILogger<RunReconciliationHandler> logger) : ICommandHandler<RunReconciliation, Result<ReconciliationReport>>
{
    private sealed record AccountWork(string UserId, List<GatewaySubscription> Subscriptions, bool CustomerDeleted);

    public async ValueTask<Result<ReconciliationReport>> Handle(RunReconciliation request, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        var findings = new List<DriftFinding>();
        var listed = request.UserId is { } userId
            ? await OneAccountAsync(userId, cancellationToken)
            : await EveryAccountAsync(findings, cancellationToken);
        if (!listed.IsSuccess)
        {
            return listed.Error!;
        }

        foreach (var work in listed.Value.Work)
        {
            // A scope per account: its own change tracker and transaction, so one account's failure stays its own.
            var reconciled = await scopes.SendAsync(new ReconcileAccount(work.UserId, work.Subscriptions, work.CustomerDeleted, request.DryRun), cancellationToken);
            findings.AddRange(reconciled.IsSuccess
                ? reconciled.Value
                : [new DriftFinding(work.UserId, DriftKinds.CheckFailed, $"The account could not be reconciled: {reconciled.Error!.Detail}", false)]);
        }

        var report = new ReconciliationReport(
            request.Trigger,
            request.DryRun,
            request.UserId,
            started,
            clock.GetUtcNow(),
            listed.Value.Work.Count,
            listed.Value.SubscriptionsListed,
            findings.Count(f => f.Repaired),
            findings);
        log.Add(report);
        logger.LogInformation(
            "Reconciliation ({Trigger}{DryRun}) checked {Accounts} account(s) against {Subscriptions} Stripe subscription(s): {Findings} finding(s), {Repaired} repaired",
            request.Trigger, request.DryRun ? ", dry run" : string.Empty, report.AccountsChecked, report.StripeSubscriptionsListed, findings.Count, report.Repaired);
        return report;
    }

    private async Task<Result<(List<AccountWork> Work, int SubscriptionsListed)>> OneAccountAsync(string userId, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(userId, cancellationToken);
        if (account is null)
        {
            return Error.NotFound("account_not_found", $"No account for user {userId}.");
        }

        if (account.StripeCustomerId is not { } customer)
        {
            return ([new AccountWork(userId, [], false)], 0);
        }

        var deleted = await customerGateway.IsCustomerDeletedAsync(customer, cancellationToken);
        if (!deleted.IsSuccess)
        {
            return deleted.Error!;
        }

        if (deleted.Value)
        {
            return ([new AccountWork(userId, [], true)], 0);
        }

        var subscriptions = await subscriptionGateway.ListSubscriptionsAsync(customer, cancellationToken);
        return subscriptions.IsSuccess
            ? ([new AccountWork(userId, [.. subscriptions.Value], false)], subscriptions.Value.Count)
            : subscriptions.Error!;
    }

    private async Task<Result<(List<AccountWork> Work, int SubscriptionsListed)>> EveryAccountAsync(List<DriftFinding> findings, CancellationToken cancellationToken)
    {
        var subscriptions = await subscriptionGateway.ListSubscriptionsAsync(null, cancellationToken);
        if (!subscriptions.IsSuccess)
        {
            return subscriptions.Error!;
        }

        var customers = await customerGateway.ListCustomerIdsAsync(cancellationToken);
        if (!customers.IsSuccess)
        {
            return customers.Error!;
        }

        var links = await accounts.ListLinksAsync(cancellationToken);
        var byCustomer = subscriptions.Value.ToLookup(s => s.CustomerId, StringComparer.Ordinal);
        var work = new Dictionary<string, AccountWork>(StringComparer.Ordinal);
        foreach (var link in links)
        {
            // Stripe lists no deleted customer; one created since the list began is confirmed before it counts.
            var deleted = false;
            if (link.StripeCustomerId is { } customer && !customers.Value.Contains(customer))
            {
                var confirmed = await customerGateway.IsCustomerDeletedAsync(customer, cancellationToken);
                if (!confirmed.IsSuccess)
                {
                    findings.Add(new DriftFinding(link.UserId, DriftKinds.CheckFailed, $"Whether Stripe customer {customer} still exists could not be read: {confirmed.Error!.Detail}", false));
                    continue;
                }

                deleted = confirmed.Value;
            }

            work[link.UserId] = new AccountWork(link.UserId, link.StripeCustomerId is { } c ? [.. byCustomer[c]] : [], deleted);
        }

        // A live subscription of a customer no account holds: its metadata names the user it was sold to.
        var linked = links.Where(l => l.StripeCustomerId is not null).Select(l => l.StripeCustomerId!).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in subscriptions.Value.Where(s => !linked.Contains(s.CustomerId) && s.IsLive))
        {
            if (BillingMetadata.AccountKeyOf(orphan.Metadata) is not { Length: > 0 } owner)
            {
                findings.Add(new DriftFinding(null, DriftKinds.UnknownSubscription, $"Stripe subscription {orphan.Id} of customer {orphan.CustomerId} names no user (no keycloak_user_id metadata); it was not sold by this service, or look into it by hand.", false));
                continue;
            }

            if (work.TryGetValue(owner, out var existing))
            {
                existing.Subscriptions.Add(orphan);
            }
            else
            {
                work[owner] = new AccountWork(owner, [orphan], false);
            }
        }

        return (work.Values.ToList(), subscriptions.Value.Count);
    }
}
