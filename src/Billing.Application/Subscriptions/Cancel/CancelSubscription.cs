using Billing.Application.Common.Limits;
using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using FluentValidation;
using Billing.Application.Organizations;
using Billing.Application.Subscriptions.ScheduledChanges;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Subscriptions.Cancel;

/// <summary>
/// Cancels the caller's own subscription, at the end of the period (default) or now. A cancellation wins over a change
/// scheduled for the period's end: the schedule is released first (Stripe leaves a scheduled subscription's
/// cancellation to its schedule), so the subscription ends on the plan it has.
/// </summary>
public sealed record CancelSubscription(string UserId, string? SubscriptionId, bool AtPeriodEnd = true, string? RequestKey = null, OrganizationCaller? Organization = null)
    : ICommand<Result<SubscriptionStatusView>>, ICallsStripeForUser, IActsForOrganization
{
    public bool ChangesBilling => true;
}

public sealed class CancelSubscriptionValidator : AbstractValidator<CancelSubscription>
{
    public CancelSubscriptionValidator() =>
        RuleFor(x => x.SubscriptionId)
            .MaximumLength(255).WithMessage("subscription_id must be at most 255 characters.")
            .Matches(@"\Asub_[A-Za-z0-9]+\z").WithMessage("subscription_id must look like sub_….")
            .When(x => x.SubscriptionId is not null)
            .OverridePropertyName("subscription_id");
}

public sealed class CancelSubscriptionHandler(
    IBillingAccountRepository accounts,
    ISubscriptionGateway gateway,
    ScheduledChangeRelease release,
    SubscriptionChanges changes,
    TimeProvider clock,
    IOptions<BillingOptions> options) : ICommandHandler<CancelSubscription, Result<SubscriptionStatusView>>
{
    public async ValueTask<Result<SubscriptionStatusView>> Handle(CancelSubscription command, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(command.UserId, cancellationToken);
        var notFound = Error.NotFound("subscription_not_found", "You have no live subscription with that id.");

        // Someone else's subscription id looks exactly like one that does not exist: no hint that it does.
        if (account?.StripeSubscriptionId is null || (command.SubscriptionId is not null && command.SubscriptionId != account.StripeSubscriptionId))
        {
            return notFound;
        }

        // A subscription that ended moments ago may have been ended by this very request, run again after a concurrent
        // change (its webhook came first): Stripe answers the same key with its first answer, and anything else with
        // 404. Any older end is answered here, at no cost to the user's budget.
        var now = clock.GetUtcNow();
        var endedByThisRequest = !account.HasLiveSubscription && !command.AtPeriodEnd && command.RequestKey is not null &&
            account.CurrentPeriodEnd is { } endedAt && now - endedAt < RunAgainWindow;
        if (!account.HasLiveSubscription && !endedByThisRequest)
        {
            return notFound;
        }

        var requestKey = command.RequestKey ?? Guid.NewGuid().ToString("N");
        var unused = UnusedPortion(account.CurrentPeriodStart, account.CurrentPeriodEnd, now);
        if (account.HasLiveSubscription)
        {
            var released = await release.ReleaseAsync(account, requestKey, cancellationToken);
            if (!released.IsSuccess)
            {
                return released.Error!;
            }
        }

        var canceled = await gateway.CancelSubscriptionAsync(
            account.StripeSubscriptionId,
            command.AtPeriodEnd,
            $"billing-cancel-{command.UserId}-{requestKey}",
            cancellationToken);
        if (!canceled.IsSuccess)
        {
            return endedByThisRequest && canceled.Error!.Kind == ErrorKind.NotFound ? notFound : canceled.Error!;
        }

        if (!command.AtPeriodEnd && options.Value.Refunds.ProrateOnCancelNow && unused > 0)
        {
            // What the user paid for the rest of the period goes back (Stripe's refund webhooks fill the invoice book).
            var refunded = await gateway.RefundLatestPaymentAsync(account.StripeSubscriptionId, "requested_by_customer", $"billing-cancel-refund-{command.UserId}-{requestKey}", cancellationToken, unused);
            if (!refunded.IsSuccess)
            {
                return refunded.Error!;
            }
        }

        return changes.Apply(account, canceled.Value);
    }

    /// <summary>How long after a subscription ended a cancel of it may be this request run again (seconds, in practice).</summary>
    private static readonly TimeSpan RunAgainWindow = TimeSpan.FromMinutes(5);

    private static decimal UnusedPortion(DateTimeOffset? start, DateTimeOffset? end, DateTimeOffset now) =>
        start is { } from && end is { } to && to > from && now < to
            ? (decimal)((to - (now > from ? now : from)).TotalSeconds / (to - from).TotalSeconds)
            : 0m;
}
