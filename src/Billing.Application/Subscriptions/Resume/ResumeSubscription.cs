using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Common.Limits;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;
using Billing.Application.Organizations;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Subscriptions.Resume;

/// <summary>
/// Takes back what stops a subscription: a cancellation scheduled for the period end is lifted, a paused
/// subscription is resumed (Stripe's resume). Anything else has nothing to resume (409).
/// </summary>
public sealed record ResumeSubscription(string UserId, string? RequestKey = null, OrganizationCaller? Organization = null) : ICommand<Result<SubscriptionStatusView>>, ICallsStripeForUser, IActsForOrganization
{
    public bool ChangesBilling => true;
}

public sealed class ResumeSubscriptionHandler(
    IBillingAccountRepository accounts,
    ISubscriptionGateway gateway,
    SubscriptionChanges changes) : ICommandHandler<ResumeSubscription, Result<SubscriptionStatusView>>
{
    // What this request's resumption of a paused subscription answered. The handler lives as long as the request
    // (scoped), and a command run again after a concurrent change runs on the same handler.
    private GatewaySubscription? _resumedByThisRequest;

    public async ValueTask<Result<SubscriptionStatusView>> Handle(ResumeSubscription command, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(command.UserId, cancellationToken);
        if (account is not { HasLiveSubscription: true })
        {
            return Error.NotFound("subscription_not_found", "You have no live subscription to resume; start one with POST /api/v1/billing/checkout/create.");
        }

        var key = $"billing-resume-{command.UserId}-{command.RequestKey ?? Guid.NewGuid().ToString("N")}";
        Result<GatewaySubscription> resumed;
        if (account.Status == SubscriptionStatus.Paused)
        {
            resumed = await gateway.ResumePausedSubscriptionAsync(account.StripeSubscriptionId!, key, cancellationToken);
            _resumedByThisRequest = resumed.IsSuccess ? resumed.Value : null;
        }
        else if (account.CancelAtPeriodEnd)
        {
            resumed = await gateway.KeepSubscriptionAsync(account.StripeSubscriptionId!, key, cancellationToken);
        }
        else if (await AlreadyResumedByAsync(account.StripeSubscriptionId!, key, cancellationToken) is { } held)
        {
            // Run again after a concurrent change: this request already lifted the cancellation.
            return changes.Apply(account, held);
        }
        else if (_resumedByThisRequest is { } mine)
        {
            // Run again after Stripe's own event of this resumption saved the account first (Stripe's resume carries
            // no metadata to recognise it by in Stripe): the request answers what it did, and asks Stripe nothing more.
            return changes.Apply(account, mine);
        }
        else
        {
            return Error.Conflict("nothing_to_resume", "Your subscription is neither paused nor set to end at the period end; there is nothing to resume.");
        }

        if (!resumed.IsSuccess)
        {
            return resumed.Error!;
        }

        return changes.Apply(account, resumed.Value);
    }

    private async Task<GatewaySubscription?> AlreadyResumedByAsync(string subscriptionId, string key, CancellationToken cancellationToken) =>
        await gateway.GetSubscriptionAsync(subscriptionId, cancellationToken) is { IsSuccess: true } held && SubscriptionChangeRequest.MadeBy(held.Value, key)
            ? held.Value
            : null;
}
