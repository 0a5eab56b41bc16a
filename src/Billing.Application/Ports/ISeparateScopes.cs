using Billing.Application.Common;
using Mediator;

namespace Billing.Application.Ports;

/// <summary>
/// Sends a command in a scope of its own (its own change tracker and transaction, so one account's failure stays its
/// own), of the same kind of work as the caller's: what a background run starts is background work too.
/// </summary>
public interface ISeparateScopes
{
    Task<TResponse> SendAsync<TResponse>(ICommand<TResponse> command, CancellationToken cancellationToken);
}
