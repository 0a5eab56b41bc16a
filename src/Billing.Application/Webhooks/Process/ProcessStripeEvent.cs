using Billing.Application.Common.Results;
using Mediator;

namespace Billing.Application.Webhooks.Process;

/// <summary>
/// Applies one stored Stripe event, claimed by <see cref="Worker"/> (<see cref="ClaimedEventApplier"/>), in a unit
/// of work of its own. Subscription state comes from the newest snapshot (decision 9), so duplicates, reordering and
/// late events all end in Stripe's current state.
/// </summary>
public sealed record ProcessStripeEvent(string EventId, string Worker) : ICommand<Result<string>>;

public sealed class ProcessStripeEventHandler(ClaimedEventApplier applier) : ICommandHandler<ProcessStripeEvent, Result<string>>
{
    public ValueTask<Result<string>> Handle(ProcessStripeEvent command, CancellationToken cancellationToken) =>
        applier.ApplyAsync(command.EventId, command.Worker, cancellationToken);
}
