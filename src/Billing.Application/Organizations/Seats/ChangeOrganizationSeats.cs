using Billing.Application.Accounts;
using Billing.Application.Common;
using Billing.Application.Common.Limits;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Organizations.Seats;

/// <summary>
/// Sets an organization's seats (<c>PUT …/seats</c>), or, with <see cref="Seats"/> null, counts its members again and
/// follows them (<c>POST …/seats/sync</c>, with <see cref="OrganizationSettings.SeatsFollowMembers"/>). One Stripe update
/// however many members came or went, and none when the seats are right already.
/// </summary>
public sealed record ChangeOrganizationSeats(string AccountKey, int? Seats, OrganizationCaller Organization, string? RequestKey = null)
    : ICommand<Result<SubscriptionStatusView>>, ICallsStripeForUser, IActsForOrganization
{
    public string UserId => AccountKey;

    OrganizationCaller? IActsForOrganization.Organization => Organization;

    public bool ChangesBilling => true;
}

public sealed class ChangeOrganizationSeatsValidator : AbstractValidator<ChangeOrganizationSeats>
{
    public ChangeOrganizationSeatsValidator() =>
        RuleFor(x => x.Seats).GreaterThan(0).When(x => x.Seats is not null).WithMessage("seats must be a positive whole number.").OverridePropertyName("seats");
}

public sealed class ChangeOrganizationSeatsHandler(
    IBillingAccountRepository accounts,
    ISubscriptionGateway gateway,
    SeatPolicy policy,
    SubscriptionChanges changes,
    TimeProvider clock,
    IOptions<BillingOptions> options) : ICommandHandler<ChangeOrganizationSeats, Result<SubscriptionStatusView>>
{
    public async ValueTask<Result<SubscriptionStatusView>> Handle(ChangeOrganizationSeats command, CancellationToken cancellationToken)
    {
        if (command.Seats is null && !policy.FollowsMembers)
        {
            return Error.Conflict("seats_set_by_managers", "This service leaves an organization's seats to its managers (PUT …/seats); set Billing__Organizations__SeatsFollowMembers=true to have them follow the members.");
        }

        var account = await accounts.FindAsync(command.AccountKey, cancellationToken);
        if (account is not { HasLiveSubscription: true })
        {
            return Error.NotFound("subscription_not_found", "The organization has no live subscription; start one with POST …/checkout/create.");
        }

        var decided = await policy.DecideAsync(command.Organization.OrganizationId, account.Tier, command.Seats, cancellationToken);
        if (!decided.IsSuccess)
        {
            return decided.Error!;
        }

        if (account.Seats == decided.Value.Seats)
        {
            // Right already (or set by this very request before it ran again): nothing to ask of Stripe.
            return SubscriptionStatusView.Of(account, clock.GetUtcNow(), options.Value);
        }

        var current = await gateway.GetSubscriptionAsync(account.StripeSubscriptionId!, cancellationToken);
        if (!current.IsSuccess)
        {
            return current.Error!;
        }

        var key = $"billing-seats-{command.AccountKey}-{decided.Value.Seats}-{command.RequestKey ?? Guid.NewGuid().ToString("N")}";
        var changed = await gateway.ChangeSeatsAsync(new SeatChange(current.Value.Id, current.Value.ItemId, decided.Value.Seats, options.Value.ProrationBehavior, key), cancellationToken);
        return changed.IsSuccess ? changes.Apply(account, changed.Value) : changed.Error!;
    }
}
