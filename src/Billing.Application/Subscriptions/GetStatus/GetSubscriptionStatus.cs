using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Subscriptions.GetStatus;

/// <summary>The caller's subscription, from this service's store: no call to Stripe.</summary>
public sealed record GetSubscriptionStatus(string UserId) : IQuery<SubscriptionStatusView>;

public sealed class GetSubscriptionStatusHandler(IBillingAccountRepository accounts, TimeProvider clock, IOptions<BillingOptions> options)
    : IQueryHandler<GetSubscriptionStatus, SubscriptionStatusView>
{
    public async ValueTask<SubscriptionStatusView> Handle(GetSubscriptionStatus query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var account = await accounts.FindAsync(query.UserId, cancellationToken) ?? BillingAccount.Open(query.UserId, string.Empty, now);
        return SubscriptionStatusView.Of(account, now, options.Value);
    }
}
