using Billing.Application.Common.Results;
using Billing.Application.Ports;
using FluentValidation;
using Mediator;

namespace Billing.Application.Webhooks.Process;

/// <summary>
/// Applies the claimed events of one lane (one subscription's, in the order received) in one unit of work: the
/// account is loaded once, changes once, and what Keycloak and Lago hear is staged once with the whole lane's
/// result, instead of once per event. All or nothing: when one event fails, nothing of the lane is saved and the
/// failure is returned, so the worker applies the events one at a time and records the failure on the event it
/// belongs to (<see cref="ProcessStripeEvent"/>).
/// </summary>
public sealed record ProcessStripeEventLane(IReadOnlyList<string> EventIds, string Worker) : ICommand<Result<string>>;

public sealed class ProcessStripeEventLaneValidator : AbstractValidator<ProcessStripeEventLane>
{
    public ProcessStripeEventLaneValidator()
    {
        RuleFor(c => c.EventIds).NotEmpty();
        RuleFor(c => c.Worker).NotEmpty();
    }
}

public sealed class ProcessStripeEventLaneHandler(IWebhookInbox inbox, ClaimedEventApplier applier) : ICommandHandler<ProcessStripeEventLane, Result<string>>
{
    public async ValueTask<Result<string>> Handle(ProcessStripeEventLane command, CancellationToken cancellationToken)
    {
        await inbox.LoadAsync(command.EventIds, cancellationToken);
        foreach (var eventId in command.EventIds)
        {
            var outcome = await applier.ApplyAsync(eventId, command.Worker, cancellationToken);
            if (!outcome.IsSuccess)
            {
                return outcome.Error!;
            }
        }

        return $"{command.EventIds.Count} events applied together.";
    }
}
