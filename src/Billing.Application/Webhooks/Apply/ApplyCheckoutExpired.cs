using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Messages;
using Mediator;

namespace Billing.Application.Webhooks.Apply;

/// <summary>A Checkout Session expired unpaid: its user may open another.</summary>
public sealed class ApplyCheckoutExpired(IBillingAccountRepository accounts) : IRequestHandler<CheckoutExpired, Result<string>>
{
    public async ValueTask<Result<string>> Handle(CheckoutExpired message, CancellationToken cancellationToken)
    {
        var owner = message.UserId is null ? null : await accounts.FindAsync(message.UserId, cancellationToken);
        return owner?.ForgetCheckout(message.SessionId) == true
            ? $"Checkout session {message.SessionId} of user {message.UserId} expired; the user may open another."
            : $"Checkout session {message.SessionId} expired; no account was waiting on it.";
    }
}
