using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Accounts;
using Mediator;

namespace Billing.Application.Webhooks.Apply;

/// <summary>A customer deleted in Stripe: the account lets go of it and its subscription, and the user may check out again.</summary>
public sealed class ApplyCustomerDeleted(IBillingAccountRepository accounts, IAccountHistory history, TimeProvider clock) : IRequestHandler<CustomerDeleted, Result<string>>
{
    public async ValueTask<Result<string>> Handle(CustomerDeleted message, CancellationToken cancellationToken)
    {
        var customerId = message.DeletedCustomerId;
        var owner = await accounts.FindByStripeCustomerAsync(customerId, cancellationToken);
        var deletedAt = clock.GetUtcNow();
        if (owner is null || !owner.ForgetDeletedCustomer(customerId, deletedAt))
        {
            return $"Customer {customerId} was deleted; no account was linked to it.";
        }

        history.Add(AccountHistoryEntry.Record(owner.UserId, deletedAt, "customer_deleted", $"Stripe customer {customerId} was deleted in Stripe; the account let go of it and its subscription, and the user may check out again."));
        return $"Account {owner.UserId} let go of deleted customer {customerId}.";
    }
}
