using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.AccountSync.Deliver;

/// <summary>
/// Delivers one outbox message claimed by <see cref="Worker"/>: the account's state as it is now (not as it was
/// when the message was written) goes to Keycloak or Lago, so a late delivery can never write an older state.
/// </summary>
public sealed record DeliverAccountSync(Guid MessageId, string Worker) : ICommand<Result<string>>;

public sealed class DeliverAccountSyncHandler(
    ISyncOutbox outbox,
    IBillingAccountRepository accounts,
    IIdentityDirectory identity,
    IUsageLedger ledger,
    Organizations.MemberAccess access,
    TimeProvider clock,
    IOptions<BillingOptions> options,
    BillingMetrics metrics) : ICommandHandler<DeliverAccountSync, Result<string>>
{
    public async ValueTask<Result<string>> Handle(DeliverAccountSync command, CancellationToken cancellationToken)
    {
        var message = await outbox.FindClaimedAsync(command.MessageId, command.Worker, cancellationToken);
        if (message is null)
        {
            return "Not claimed by this worker.";
        }

        var account = await accounts.FindAsync(message.UserId, cancellationToken);
        if (account is null)
        {
            return Error.NotFound("account_not_found", $"Account {message.UserId} no longer exists.");
        }

        // Lago names the customer as Keycloak names the user; Keycloak itself needs no name.
        string? name = null;
        if (message.Target == SyncTarget.UsageLedger && ledger.Enabled)
        {
            var found = await identity.FindNameAsync(account.UserId, cancellationToken);
            if (!found.IsSuccess && found.Error!.Kind == ErrorKind.UpstreamUnavailable)
            {
                return found.Error;
            }

            name = found.IsSuccess ? found.Value : null;
        }

        var now = clock.GetUtcNow();
        var state = AccountState.Of(AccountProjection.Of(account, now, options.Value), name);
        var delivered = message.Target switch
        {
            // A user's access (their own or a team's), or an organization and its members' access.
            SyncTarget.IdentityDirectory => await access.PublishAsync(account, cancellationToken),
            SyncTarget.UsageLedger when ledger.Enabled => await ledger.PublishAsync(state, cancellationToken),
            _ => Result<string>.Success("Lago is not configured; nothing to deliver."),
        };
        if (!delivered.IsSuccess)
        {
            return delivered.Error!;
        }

        await outbox.CompleteAsync(message.Id, command.Worker, delivered.Value, now, cancellationToken);
        metrics.SyncDelivered.Add(1);
        metrics.SyncLag.Record((now - message.CreatedAt).TotalMilliseconds);
        return delivered.Value;
    }
}

/// <summary>Whether a failed delivery is worth retrying: an answer that will not change by itself is parked at once.</summary>
public static class DeliveryFailures
{
    public static bool IsPermanent(Error error) =>
        error?.Kind is ErrorKind.NotFound or ErrorKind.Validation or ErrorKind.NotConfigured;
}
