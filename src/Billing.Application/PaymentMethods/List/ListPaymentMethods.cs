using Billing.Application.Common.Limits;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Organizations;
using Mediator;

namespace Billing.Application.PaymentMethods.List;

/// <summary>The caller's saved cards: brand, last four digits, expiry, and which one is the default.</summary>
public sealed record ListPaymentMethods(string UserId, OrganizationCaller? Organization = null) : IQuery<Result<PaymentMethodList>>, ICallsStripeForUser, IActsForOrganization
{
    public bool ChangesBilling => true;
}

public sealed record PaymentMethodList(IReadOnlyList<PaymentMethodView> PaymentMethods);

public sealed record PaymentMethodView(string Id, string Brand, string Last4, int ExpMonth, int ExpYear, bool IsDefault);

public sealed class ListPaymentMethodsHandler(IBillingAccountRepository accounts, IPaymentMethodGateway gateway)
    : IQueryHandler<ListPaymentMethods, Result<PaymentMethodList>>
{
    public async ValueTask<Result<PaymentMethodList>> Handle(ListPaymentMethods query, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(query.UserId, cancellationToken);
        if (account?.StripeCustomerId is null)
        {
            return new PaymentMethodList([]);
        }

        var methods = await gateway.ListPaymentMethodsAsync(account.StripeCustomerId, account.HasLiveSubscription ? account.StripeSubscriptionId : null, cancellationToken);
        return methods.Map(list => new PaymentMethodList(
            list.Select(m => new PaymentMethodView(m.Id, m.Brand, m.Last4, m.ExpiryMonth, m.ExpiryYear, m.IsDefault)).ToList()));
    }
}
