using Billing.Application.Common.Limits;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;
using Microsoft.Extensions.Logging;
using Stripe;
using Stripe.Checkout;

namespace Billing.Infrastructure.Stripe;

/// <summary>The customer calls of the Stripe adapter.</summary>
internal sealed partial class StripePaymentGateway
{
    public Task<Result<string>> CreateCustomerAsync(NewCustomer customer, CancellationToken cancellationToken) =>
        CallAsync("create customer", async client =>
        {
            var created = await new CustomerService(client).CreateAsync(
                new CustomerCreateOptions
                {
                    Email = string.IsNullOrEmpty(customer.Email) ? null : customer.Email,
                    Metadata = new Dictionary<string, string>([BillingMetadata.HolderOf(customer.UserId)]),
                    TestClock = clients.TestClock,
                },
                Keyed(customer.IdempotencyKey),
                cancellationToken);
            return created.Id;
        });

    public Task<Result<IReadOnlySet<string>>> ListCustomerIdsAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlySet<string>>("list customers", async client =>
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var customer in new CustomerService(client).ListAutoPagingAsync(new CustomerListOptions { Limit = 100 }, cancellationToken: cancellationToken))
            {
                ids.Add(customer.Id);
            }

            return ids;
        });

    public async Task<Result<bool>> IsCustomerDeletedAsync(string customerId, CancellationToken cancellationToken)
    {
        var found = await CallAsync("get customer", async client => await new CustomerService(client).GetAsync(customerId, cancellationToken: cancellationToken));
        return found.IsSuccess ? found.Value.Deleted == true
            : found.Error!.Code == "stripe_resource_missing" ? true
            : found.Error;
    }
}
