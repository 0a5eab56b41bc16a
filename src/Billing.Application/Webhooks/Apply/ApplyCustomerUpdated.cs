using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Application.Webhooks.Messages;
using Mediator;

namespace Billing.Application.Webhooks.Apply;

/// <summary>
/// A customer changed: the account keeps its balance as the event carried it, in the order Stripe created the events
/// (a credit granted, or used by an invoice), so the balance is answered from the store.
/// </summary>
public sealed class ApplyCustomerUpdated(IBillingAccountRepository accounts) : IRequestHandler<CustomerUpdated, Result<string>>
{
    public async ValueTask<Result<string>> Handle(CustomerUpdated message, CancellationToken cancellationToken)
    {
        if (message.Balance is not { } balance)
        {
            return $"Customer {message.StripeCustomerId}: event in another API version; its balance is kept from the next one.";
        }

        var account = await accounts.FindByStripeCustomerAsync(message.StripeCustomerId, cancellationToken);
        if (account is null)
        {
            return $"Customer {message.StripeCustomerId} belongs to no account here.";
        }

        return account.NoteCustomerBalance(balance, message.CreatedAt)
            ? $"Account {account.UserId}: balance {balance}."
            : $"Account {account.UserId}: balance unchanged, or an older report.";
    }
}
