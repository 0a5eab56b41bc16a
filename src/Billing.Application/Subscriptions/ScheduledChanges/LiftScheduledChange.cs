using Billing.Application.Accounts;
using Billing.Application.Common;
using Billing.Application.Common.Limits;
using Billing.Application.Common.Results;
using Billing.Application.Organizations;
using Billing.Application.Ports;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Subscriptions.ScheduledChanges;

/// <summary>Lifts the change of plan scheduled for the end of the period: the subscription renews as it is.</summary>
public sealed record LiftScheduledChange(string UserId, string? RequestKey = null, OrganizationCaller? Organization = null)
    : ICommand<Result<SubscriptionStatusView>>, ICallsStripeForUser, IActsForOrganization
{
    public bool ChangesBilling => true;
}

public sealed class LiftScheduledChangeHandler(IBillingAccountRepository accounts, ScheduledChangeRelease release, TimeProvider clock, IOptions<BillingOptions> options)
    : ICommandHandler<LiftScheduledChange, Result<SubscriptionStatusView>>
{
    /// <summary>Set once this request released the schedule: run again after a concurrent change, it answers, not 404.</summary>
    private bool _released;

    public async ValueTask<Result<SubscriptionStatusView>> Handle(LiftScheduledChange command, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(command.UserId, cancellationToken);
        if (_released && account is { ScheduledChange: null })
        {
            return SubscriptionStatusView.Of(account, clock.GetUtcNow(), options.Value);
        }

        if (account is not { HasLiveSubscription: true, ScheduledChange: not null })
        {
            return Error.NotFound("no_scheduled_change", "No change of plan is scheduled for the end of your period.");
        }

        var released = await release.ReleaseAsync(account, command.RequestKey ?? Guid.NewGuid().ToString("N"), cancellationToken);
        _released = released.IsSuccess;
        return released.IsSuccess ? SubscriptionStatusView.Of(account, clock.GetUtcNow(), options.Value) : released.Error!;
    }
}
