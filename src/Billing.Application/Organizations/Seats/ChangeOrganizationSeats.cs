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
public sealed record ChangeOrganizationSeats(string AccountKey, int? Seats, OrganizationCaller Organization)
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

public sealed class ChangeOrganizationSeatsHandler(IBillingAccountRepository accounts, TeamSeats seats, TimeProvider clock, IOptions<BillingOptions> options)
    : ICommandHandler<ChangeOrganizationSeats, Result<SubscriptionStatusView>>
{
    public async ValueTask<Result<SubscriptionStatusView>> Handle(ChangeOrganizationSeats command, CancellationToken cancellationToken)
    {
        if (command.Seats is null && !options.Value.Organizations.SeatsFollowMembers)
        {
            return Error.Conflict("seats_set_by_managers", "This service leaves an organization's seats to its managers (PUT …/seats); set Billing__Organizations__SeatsFollowMembers=true to have them follow the members.");
        }

        var account = await accounts.FindAsync(command.AccountKey, cancellationToken);
        if (account is null)
        {
            return OrganizationErrors.NoSubscription;
        }

        var set = await seats.SetAsync(account, command.Seats, cancellationToken);
        return set.IsSuccess ? SubscriptionStatusView.Of(account, clock.GetUtcNow(), options.Value) : set.Error!;
    }
}
