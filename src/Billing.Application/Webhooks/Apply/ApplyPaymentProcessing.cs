using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Application.Webhooks.Messages;
using Mediator;

namespace Billing.Application.Webhooks.Apply;

/// <summary>
/// A payment of a customer is processing (a bank debit of a renewal, say): the account notes it, so its open invoice
/// reads as on its way rather than failed, until Stripe's invoice or subscription says it was paid or failed.
/// </summary>
public sealed class ApplyPaymentProcessing(IBillingAccountRepository accounts) : IRequestHandler<PaymentProcessing, Result<string>>
{
    public async ValueTask<Result<string>> Handle(PaymentProcessing message, CancellationToken cancellationToken)
    {
        var account = message.CustomerId is null ? null : await accounts.FindByStripeCustomerAsync(message.CustomerId, cancellationToken);
        if (account is null)
        {
            return $"Payment {message.PaymentId} is of no customer of this service.";
        }

        return account.NotePaymentProcessing(message.CreatedAt)
            ? $"Account {account.UserId}: payment {message.PaymentId} is on its way."
            : $"Account {account.UserId}: payment {message.PaymentId} was answered already, or noted.";
    }
}
