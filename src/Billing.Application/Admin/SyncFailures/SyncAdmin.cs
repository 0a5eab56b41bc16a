using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using FluentValidation;
using Mediator;

namespace Billing.Application.Admin.SyncFailures;

public sealed record SyncMessageView(
    Guid Id,
    string UserId,
    string Target,
    string Status,
    long AccountVersion,
    int Attempts,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    string? Outcome)
{
    public static SyncMessageView Of(OutboxEntry m) => new(
        m.Id,
        m.UserId,
        m.Target switch
        {
            SyncTarget.IdentityDirectory => "keycloak",
            SyncTarget.UsageLedger => "lago",
            _ => "email",
        },
        m.Status.ToString().ToLowerInvariant(),
        m.AccountVersion,
        m.Attempts,
        m.LastError,
        m.CreatedAt,
        m.NextAttemptAt,
        m.DeliveredAt,
        m.Outcome);
}

/// <summary>Outbox messages parked after their last attempt (or at once, for an answer that will not change by itself).</summary>
public sealed record ListSyncFailures(int Limit = 50) : IQuery<Result<IReadOnlyList<SyncMessageView>>>;

public sealed class ListSyncFailuresValidator : AbstractValidator<ListSyncFailures>
{
    public ListSyncFailuresValidator() =>
        RuleFor(x => x.Limit).InclusiveBetween(1, 500).WithMessage("limit must be between 1 and 500.").OverridePropertyName("limit");
}

public sealed class ListSyncFailuresHandler(ISyncOutbox outbox) : IQueryHandler<ListSyncFailures, Result<IReadOnlyList<SyncMessageView>>>
{
    public async ValueTask<Result<IReadOnlyList<SyncMessageView>>> Handle(ListSyncFailures query, CancellationToken cancellationToken) =>
        (await outbox.ListAsync(SyncStatus.Parked, null, query.Limit, cancellationToken)).Select(SyncMessageView.Of).ToList();
}

/// <summary>Puts a parked message back in line, once its cause is fixed.</summary>
public sealed record ReplaySyncMessage(Guid MessageId, string AdminId) : ICommand<Result<string>>, Common.Audit.IAdminAction
{
    public string AuditTarget => $"sync message {MessageId}";
}

public sealed class ReplaySyncMessageHandler(ISyncOutbox outbox, IOutboxSignal signal) : ICommandHandler<ReplaySyncMessage, Result<string>>
{
    public async ValueTask<Result<string>> Handle(ReplaySyncMessage command, CancellationToken cancellationToken)
    {
        if (!await outbox.ReplayAsync(command.MessageId, cancellationToken))
        {
            return Error.NotFound("sync_message_not_found", $"No parked sync message {command.MessageId}.");
        }

        signal.Notify();
        return $"Message {command.MessageId} will be delivered again.";
    }
}
