using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Mediator;

namespace Billing.Application.Balance.Get;

/// <summary>The caller's balance and the credits they were granted, from the store: no call to Stripe.</summary>
public sealed record GetBalance(string UserId) : IQuery<Result<BalanceView>>;

public sealed class GetBalanceHandler(IBillingAccountRepository accounts, IBalanceLedger ledger, TimeProvider clock) : IQueryHandler<GetBalance, Result<BalanceView>>
{
    public async ValueTask<Result<BalanceView>> Handle(GetBalance query, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(query.UserId, cancellationToken) ?? BillingAccount.Open(query.UserId, string.Empty, clock.GetUtcNow());
        return BalanceView.Of(account, await ledger.ListAsync(query.UserId, 50, cancellationToken));
    }
}
