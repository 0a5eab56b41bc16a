using Billing.Application.Ports;
using Billing.Infrastructure.Persistence;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Infrastructure.Messaging;

/// <summary>A new scope per command, told the caller's role (background work or a user's request) before anything in it runs.</summary>
internal sealed class SeparateScopes(IServiceScopeFactory scopes, ScopeRole role) : ISeparateScopes
{
    public async Task<TResponse> SendAsync<TResponse>(ICommand<TResponse> command, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ScopeRole>().Worker = role.Worker;
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command, cancellationToken);
    }
}
