namespace Billing.Application.Common.Ports;

/// <summary>Commits every change a command made (account, outbox messages, inbox state) in one database transaction.</summary>
public interface IUnitOfWork
{
    Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>Forgets what was tracked, so a failed command leaves nothing half-written behind.</summary>
    void Discard();
}
