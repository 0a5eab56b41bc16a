using Billing.Application.Common.Limits;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Organizations;
using Mediator;

namespace Billing.Application.PaymentMethods.List;

/// <summary>
/// The caller's saved ways to pay: cards (brand, last four digits, expiry) and bank accounts for debits (their type,
/// last four digits), and which one is the default.
/// </summary>
public sealed record ListPaymentMethods(string UserId, OrganizationCaller? Organization = null) : IQuery<Result<PaymentMethodList>>, ICallsStripeForUser, IActsForOrganization
{
    public bool ChangesBilling => true;
}

public sealed record PaymentMethodList(IReadOnlyList<PaymentMethodView> PaymentMethods);

/// <param name="Id">Stripe's id of the payment method.</param>
/// <param name="Brand">A card's brand (visa, mastercard, …); for a bank account, its type.</param>
/// <param name="Last4">The last four digits of the card or of the account.</param>
/// <param name="ExpMonth">A card's expiry month; null for a bank account.</param>
/// <param name="ExpYear">A card's expiry year; null for a bank account.</param>
/// <param name="IsDefault">Whether it pays the subscription's next invoices.</param>
/// <param name="Type">card, sepa_debit, us_bank_account or bacs_debit.</param>
public sealed record PaymentMethodView(string Id, string Brand, string Last4, int? ExpMonth, int? ExpYear, bool IsDefault, string Type);

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
            list.Select(m => new PaymentMethodView(m.Id, m.Brand, m.Last4, m.ExpiryMonth, m.ExpiryYear, m.IsDefault, m.Type)).ToList()));
    }
}
