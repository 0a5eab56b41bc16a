using Billing.Application.Common.Messaging;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Mediator;

namespace Billing.Application.AccountSync.Release;

/// <summary>
/// Deliveries parked because the realm's user profile did not declare the billing attributes go again by themselves
/// once it does (<c>keycloak setup</c> run in another process, or an administrator declared them by hand): nobody has
/// to find and replay them. Asks Keycloak only while such deliveries wait.
/// </summary>
public sealed record ReleaseDeclaredAttributeDeliveries : ICommand<Result<int>>;

public sealed class ReleaseDeclaredAttributeDeliveriesHandler(ISyncOutbox outbox, IIdentityDirectory directory, IOutboxSignal signal)
    : ICommandHandler<ReleaseDeclaredAttributeDeliveries, Result<int>>
{
    public async ValueTask<Result<int>> Handle(ReleaseDeclaredAttributeDeliveries command, CancellationToken cancellationToken)
    {
        if (await outbox.CountParkedAsync(SyncTarget.IdentityDirectory, IdentityDeliveryFailures.AttributesUndeclared, cancellationToken) == 0)
        {
            return 0;
        }

        var health = await directory.CheckAsync(cancellationToken);
        if (!health.Reachable || health.UndeclaredAttributes.Count > 0)
        {
            return 0;
        }

        var released = await outbox.ReplayParkedAsync(SyncTarget.IdentityDirectory, IdentityDeliveryFailures.AttributesUndeclared, cancellationToken);
        if (released > 0)
        {
            signal.Notify();
        }

        return released;
    }
}
