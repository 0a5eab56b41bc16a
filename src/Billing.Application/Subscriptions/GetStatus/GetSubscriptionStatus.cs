using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Application.Common.Results;
using Billing.Application.Organizations;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Subscriptions.GetStatus;

/// <summary>The caller's subscription, or their organization's (any member may read it), from this service's store: no call to Stripe.</summary>
public sealed record GetSubscriptionStatus(string UserId, OrganizationCaller? Organization = null) : IQuery<Result<SubscriptionStatusView>>, IActsForOrganization
{
    public bool ChangesBilling => false;
}

public sealed class GetSubscriptionStatusHandler(IBillingAccountRepository accounts, TimeProvider clock, IOptions<BillingOptions> options)
    : IQueryHandler<GetSubscriptionStatus, Result<SubscriptionStatusView>>
{
    public async ValueTask<Result<SubscriptionStatusView>> Handle(GetSubscriptionStatus query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var account = await accounts.FindAsync(query.UserId, cancellationToken) ?? BillingAccount.Open(query.UserId, string.Empty, now);
        return SubscriptionStatusView.Of(account, now, options.Value);
    }
}
