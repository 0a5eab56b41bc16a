using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Admin.ExtendTrial;

/// <summary>An admin moves the end of a user's free trial later by some days (Stripe's <c>trial_end</c>).</summary>
public sealed record ExtendTrial(string UserId, int Days, string AdminId, string? RequestKey = null) : ICommand<Result<SubscriptionStatusView>>, Common.Audit.IAdminAction
{
    public string AuditTarget => $"account {UserId}: {Days} days";

    /// <summary>This request, the same however often the pipeline runs it again after a concurrent change.</summary>
    public string Occurrence { get; init; } = Guid.NewGuid().ToString("N");
}

public sealed class ExtendTrialValidator : AbstractValidator<ExtendTrial>
{
    public ExtendTrialValidator(IOptions<BillingOptions> options) =>
        RuleFor(x => x.Days)
            .InclusiveBetween(1, options.Value.Trials.MaxExtensionDays)
            .WithMessage($"days must be between 1 and {options.Value.Trials.MaxExtensionDays} (Billing:Trials:MaxExtensionDays).")
            .OverridePropertyName("days");
}

public sealed class ExtendTrialHandler(
    IBillingAccountRepository accounts,
    ISubscriptionGateway gateway,
    SubscriptionChanges changes,
    IAccountHistory history,
    TimeProvider clock) : ICommandHandler<ExtendTrial, Result<SubscriptionStatusView>>
{
    public async ValueTask<Result<SubscriptionStatusView>> Handle(ExtendTrial command, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(command.UserId, cancellationToken);
        if (account is null)
        {
            return Error.NotFound("account_not_found", $"No billing account for user {command.UserId}.");
        }

        if (account.Status != SubscriptionStatus.Trialing || account.TrialEnd is not { } trialEnd || account.StripeSubscriptionId is null)
        {
            return Error.Conflict("not_trialing", $"User {command.UserId} is not on a free trial (status {account.Status.Code()}); only a running trial can be extended.");
        }

        // One key per request (the caller's Idempotency-Key, else this request's own): Stripe does it once, and run
        // again after a concurrent change (the extension's own webhook came first) the request finds its mark on the
        // subscription and never moves the trial end twice.
        var changeRequest = $"billing-trial-extend-{command.UserId}-{command.RequestKey ?? command.Occurrence}";
        var held = await gateway.GetSubscriptionAsync(account.StripeSubscriptionId, cancellationToken);
        var made = held.IsSuccess && SubscriptionChangeRequest.MadeBy(held.Value, changeRequest) ? held.Value : null;
        if (made is null)
        {
            var extended = await gateway.ExtendTrialAsync(account.StripeSubscriptionId, trialEnd.AddDays(command.Days), changeRequest, changeRequest, cancellationToken);
            if (!extended.IsSuccess)
            {
                return extended.Error!;
            }

            made = extended.Value;
        }

        var answer = changes.Apply(account, made);
        if (answer.IsSuccess)
        {
            history.Add(AccountHistoryEntry.Record(command.UserId, clock.GetUtcNow(), "trial_extended", $"Trial end moved by {command.Days} days to {account.TrialEnd:yyyy-MM-dd} by {command.AdminId}."));
        }

        return answer;
    }
}
