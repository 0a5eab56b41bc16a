using Billing.Application.Common.Ports;
using Billing.Application.Common.Results;
using Mediator;

namespace Billing.Application.Common.Behaviours;

/// <summary>
/// Commands only: commits what the handler changed in one transaction when it succeeds, and discards it when it
/// fails. The transaction is short on purpose: it never spans a call to Stripe, Keycloak or Lago.
/// </summary>
public sealed class UnitOfWorkBehaviour<TMessage, TResponse>(IUnitOfWork unitOfWork)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBaseCommand
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        TResponse response;
        try
        {
            response = await next(message, cancellationToken);
        }
        catch
        {
            unitOfWork.Discard();
            throw;
        }

        if (response is IResultCarrier { Succeeded: false })
        {
            unitOfWork.Discard();
            return response;
        }

        await unitOfWork.CommitAsync(cancellationToken);
        return response;
    }
}
