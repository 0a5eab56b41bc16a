using Billing.Application.Common.Limits;
using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Organizations;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Portal.Create;

/// <summary>
/// Opens Stripe's customer portal, where the caller manages cards and invoices, on the configuration <c>catalog
/// sync</c> made (the catalog's prices, the API's proration and downgrade rules); on Stripe's default before the
/// first sync.
/// </summary>
public sealed record CreatePortalSession(string UserId, string Email, OrganizationCaller? Organization = null) : ICommand<Result<PortalSessionView>>, ICallsStripeForUser, IActsForOrganization
{
    public bool ChangesBilling => true;
}

public sealed record PortalSessionView(string PortalUrl);

public sealed class CreatePortalSessionHandler(PaymentCustomers customers, ICheckoutGateway gateway, IPortalConfigurationGateway portal, IOptions<BillingOptions> options)
    : ICommandHandler<CreatePortalSession, Result<PortalSessionView>>
{
    public async ValueTask<Result<PortalSessionView>> Handle(CreatePortalSession command, CancellationToken cancellationToken)
    {
        var account = await customers.EnsureAsync(command.UserId, command.Email, cancellationToken);
        if (!account.IsSuccess)
        {
            return account.Error!;
        }

        var configuration = await portal.FindManagedAsync(cancellationToken);
        if (!configuration.IsSuccess)
        {
            return configuration.Error!;
        }

        var url = await gateway.CreatePortalSessionAsync(account.Value.StripeCustomerId!, options.Value.PortalReturnUrl, configuration.Value?.Id, cancellationToken);
        return url.Map(u => new PortalSessionView(u));
    }
}
