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

    public Task<Result<BillingAccount>> EnsureAsync(string userId, string email, CancellationToken cancellationToken) =>
        EnsureAsync(userId, email, refuse: null, cancellationToken);

    /// <summary>
    /// As <see cref="EnsureAsync(string, string, CancellationToken)"/>, with a last check of the account before
    /// anything is made in Stripe: what <paramref name="refuse"/> returns is answered, and no customer is created.
    /// </summary>
    public async Task<Result<BillingAccount>> EnsureAsync(string userId, string email, Func<BillingAccount, Error?>? refuse, CancellationToken cancellationToken)
    {
        var account = await accounts.GetOrOpenAsync(userId, email, cancellationToken);
        if (refuse?.Invoke(account) is { } refused)
        {
            return refused;
        }

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
