using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Billing.Application.Common.Behaviours;

/// <summary>
/// Commands only: commits what the handler changed in one transaction when it succeeds, and discards it when it
/// fails. The transaction is short on purpose: it never spans a call to Stripe, Keycloak or Lago. When another
/// writer saved the same account first, the whole command runs again on the fresh state (its calls to Stripe carry
/// the same idempotency keys, so Stripe does nothing twice); after <see cref="MaxRuns"/> runs the conflict goes up.
/// </summary>
public sealed class UnitOfWorkBehaviour<TMessage, TResponse>(IUnitOfWork unitOfWork, BillingMetrics metrics, ILogger<UnitOfWorkBehaviour<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IBaseCommand
{
    public const int MaxRuns = 6;

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        for (var run = 1; ; run++)
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

            try
            {
                await unitOfWork.CommitAsync(cancellationToken);
                return response;
            }
            catch (ConcurrentChangeException) when (run < MaxRuns)
            {
                unitOfWork.Discard();
                metrics.CommandsRunAgain.Add(1, new KeyValuePair<string, object?>("command", typeof(TMessage).Name));
                logger.LogInformation("{Command} met a concurrent change of its account; running it again on the fresh state (run {Run}).", typeof(TMessage).Name, run + 1);

                // A little jitter, so two commands that keep meeting each other fall out of step.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * run)), cancellationToken);
            }
            catch
            {
                unitOfWork.Discard();
                throw;
            }
        }
    }
}
