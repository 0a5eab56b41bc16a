using Billing.Application.Common;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;

namespace Billing.Application.Accounts;

/// <summary>
/// One Stripe customer per user, ever. The mapping lives in our store, never in a search by e-mail; creation
/// carries an idempotency key derived from the user id, so concurrent first requests end with one customer.
/// </summary>
public sealed class PaymentCustomers(IBillingAccountRepository accounts, ICustomerGateway gateway)
{
    public static string CreationKey(string userId) => $"billing-customer-{userId}";

    public async Task<Result<BillingAccount>> EnsureAsync(string userId, string email, CancellationToken cancellationToken)
    {
        var account = await accounts.GetOrOpenAsync(userId, email, cancellationToken);
        if (account.StripeCustomerId is not null)
        {
            return account;
        }

        var created = await gateway.CreateCustomerAsync(new NewCustomer(userId, email, CreationKey(userId)), cancellationToken);
        if (!created.IsSuccess)
        {
            return created.Error!;
        }

        return await accounts.LinkStripeCustomerAsync(userId, created.Value, cancellationToken);
    }
}
