using Billing.Application.Common.Limits;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Mediator;

namespace Billing.Application.Common.Behaviours;

/// <summary>
/// Keeps one user from spending the account's Stripe budget: a request is refused (429) once the user's window
/// is used up, and only a request that did reach Stripe counts against it.
/// </summary>
public sealed class RequestBudgetBehaviour<TMessage, TResponse>(IUserRequestBudget budget, StripeCallCounter counter)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : ICallsStripeForUser, IMessage
    where TResponse : IFailable<TResponse>
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (await budget.WaitBeforeAsync(message.UserId, cancellationToken) is { } wait)
        {
            return TResponse.Fail(new Error(
                ErrorKind.TooManyRequests,
                "too_many_requests",
                "You have made too many requests to the payment provider in a short time; retry after the time in Retry-After.",
                RetryAfter: wait));
        }

        var before = counter.Calls;
        var response = await next(message, cancellationToken);
        if (counter.Calls > before)
        {
            await budget.SpendAsync(message.UserId, cancellationToken);
        }

        return response;
    }
}
