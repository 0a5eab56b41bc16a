using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Stripe;

namespace Billing.Infrastructure.Stripe;

/// <summary>The customer balance: a credit is a negative balance transaction in Stripe's terms.</summary>
internal sealed partial class StripePaymentGateway
{
    public Task<Result<GatewayBalanceTransaction>> CreditAsync(string customerId, long amount, string currency, string reason, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("credit customer balance", async client =>
        {
            var transaction = await new CustomerBalanceTransactionService(client).CreateAsync(
                customerId,
                new CustomerBalanceTransactionCreateOptions { Amount = -amount, Currency = currency, Description = reason, Metadata = new Dictionary<string, string> { ["billing_request"] = idempotencyKey } },
                Keyed(idempotencyKey),
                cancellationToken);
            return new GatewayBalanceTransaction(transaction.Id, -transaction.Amount, transaction.Currency, transaction.EndingBalance, new DateTimeOffset(DateTime.SpecifyKind(transaction.Created, DateTimeKind.Utc)));
        });
}
