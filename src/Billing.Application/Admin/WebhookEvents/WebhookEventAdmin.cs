using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using FluentValidation;
using Mediator;

namespace Billing.Application.Admin.WebhookEvents;

/// <summary>Stripe events in the inbox, newest first, optionally of one status (failed ones are those parked after their retries).</summary>
public sealed record ListWebhookEvents(string? Status, int Limit = 50) : IQuery<Result<IReadOnlyList<WebhookEventView>>>;

public sealed record WebhookEventView(
    string Id,
    string Type,
    string Status,
    int Attempts,
    string? LastError,
    string? Outcome,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? ProcessedAt,
    DateTimeOffset NextAttemptAt);

public sealed class ListWebhookEventsValidator : AbstractValidator<ListWebhookEvents>
{
    public ListWebhookEventsValidator()
    {
        RuleFor(x => x.Status)
            .Must(s => s is null || Enum.TryParse<InboxStatus>(s, ignoreCase: true, out _))
            .WithMessage("status must be one of pending, processed, ignored, failed.")
            .OverridePropertyName("status");
        RuleFor(x => x.Limit).InclusiveBetween(1, 500).WithMessage("limit must be between 1 and 500.").OverridePropertyName("limit");
    }
}

public sealed class ListWebhookEventsHandler(IWebhookInbox inbox) : IQueryHandler<ListWebhookEvents, Result<IReadOnlyList<WebhookEventView>>>
{
    public async ValueTask<Result<IReadOnlyList<WebhookEventView>>> Handle(ListWebhookEvents query, CancellationToken cancellationToken)
    {
        InboxStatus? status = query.Status is null ? null : Enum.Parse<InboxStatus>(query.Status, ignoreCase: true);
        var events = await inbox.ListAsync(status, query.Limit, cancellationToken);
        return events.Select(e => new WebhookEventView(e.Id, e.Type, e.Status.ToString().ToLowerInvariant(), e.Attempts, e.LastError, e.Outcome, e.ReceivedAt, e.ProcessedAt, e.NextAttemptAt)).ToList();
    }
}

/// <summary>Puts a stored Stripe event back in line to be processed again.</summary>
public sealed record ReplayWebhookEvent(string EventId, string AdminId) : ICommand<Result<string>>, Common.Audit.IAdminAction
{
    public string AuditTarget => $"Stripe event {EventId}";
}

public sealed class ReplayWebhookEventHandler(IWebhookInbox inbox, IInboxSignal signal) : ICommandHandler<ReplayWebhookEvent, Result<string>>
{
    public async ValueTask<Result<string>> Handle(ReplayWebhookEvent command, CancellationToken cancellationToken)
    {
        var stored = await inbox.FindAsync(command.EventId, cancellationToken);
        if (stored is null)
        {
            return Error.NotFound("webhook_event_not_found", $"No stored Stripe event {command.EventId}.");
        }

        // An event of a type this service does not act on has nothing to process, now or later.
        if (stored.Status == InboxStatus.Ignored)
        {
            return Error.Conflict("webhook_event_ignored", $"Stripe event {command.EventId} is of type {stored.Type}, which this service does not act on; there is nothing to replay.");
        }

        if (!await inbox.ReplayAsync(command.EventId, cancellationToken))
        {
            return Error.NotFound("webhook_event_not_found", $"No stored Stripe event {command.EventId}.");
        }

        signal.Notify();
        return $"Event {command.EventId} will be processed again.";
    }
}
