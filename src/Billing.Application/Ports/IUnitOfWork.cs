using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>
/// Commits every change a command made (accounts, what their events send, outbox messages, inbox state) in one
/// database transaction.
/// </summary>
public interface IUnitOfWork
{
    /// <exception cref="ConcurrentChangeException">Another writer saved one of the accounts first; nothing was saved.</exception>
    Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>Forgets what was tracked, so a failed command leaves nothing half-written behind.</summary>
    void Discard();
}
