using System.Diagnostics;
using Billing.Application.Common.Results;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Billing.Application.Common.Behaviours;

/// <summary>Logs each message by name and outcome only: message bodies may hold e-mail addresses and ids we do not log.</summary>
public sealed class LoggingBehaviour<TMessage, TResponse>(ILogger<LoggingBehaviour<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var name = typeof(TMessage).Name;
        var started = Stopwatch.GetTimestamp();
        var response = await next(message, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response is IResultCarrier { Succeeded: false })
        {
            logger.LogInformation("{Message} ended in an expected failure after {ElapsedMs:F1} ms", name, elapsed);
        }
        else
        {
            logger.LogDebug("{Message} handled in {ElapsedMs:F1} ms", name, elapsed);
        }

        return response;
    }
}
