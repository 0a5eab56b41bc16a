using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using FluentValidation;
using Mediator;

namespace Billing.Application.Balance.Credit;

/// <summary>
/// An operator credits a customer's Stripe balance (a goodwill gesture, an outage, a deal) without a refund; Stripe
/// applies it to the next invoices. Once per request (its key goes to Stripe), never in another currency than the
/// account's, audited and recorded in the account's history.
/// </summary>
public sealed record CreditBalance(string UserId, long Amount, string? Currency, string? Reason, string AdminId, string? RequestKey = null) : ICommand<Result<BalanceView>>, Common.Audit.IAdminAction
{
    /// <summary>The most one request credits (minor units): a typo of a few zeros is refused, not granted.</summary>
    public const long MaxAmount = 10_000_000;

    public string AuditTarget => $"account {UserId}: credit {Amount} {Currency}";

    /// <summary>This request, the same however often the pipeline runs it again after a concurrent change.</summary>
    public string Occurrence { get; init; } = Guid.NewGuid().ToString("N");
}

public sealed class CreditBalanceValidator : AbstractValidator<CreditBalance>
{
    public CreditBalanceValidator()
    {
        RuleFor(x => x.Amount).InclusiveBetween(1, CreditBalance.MaxAmount).WithMessage($"amount must be a whole number of minor units from 1 to {CreditBalance.MaxAmount}.").OverridePropertyName("amount");
        RuleFor(x => x.Currency).NotEmpty().Matches("^[a-zA-Z]{3}$").WithMessage("currency must be a three-letter ISO code such as eur.").OverridePropertyName("currency");
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(500).WithMessage("reason is required, at most 500 characters: it is shown in Stripe and in the account's history.").OverridePropertyName("reason");
    }
}

public sealed class CreditBalanceHandler(IBillingAccountRepository accounts, ICustomerBalanceGateway gateway, IBalanceLedger ledger, IAccountHistory history, TimeProvider clock)
    : ICommandHandler<CreditBalance, Result<BalanceView>>
{
    public async ValueTask<Result<BalanceView>> Handle(CreditBalance command, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(command.UserId, cancellationToken);
        if (account?.StripeCustomerId is not { } customer)
        {
            return Error.NotFound("account_not_found", $"No billing account with a Stripe customer for user {command.UserId}.");
        }

        var currency = command.Currency!.ToLowerInvariant();
        if ((account.BillingCurrency ?? account.Currency) is { } held && held != currency)
        {
            return Error.Invalid("currency", "currency_mismatch", $"The account is billed in {held.ToUpperInvariant()}; a credit in {currency.ToUpperInvariant()} would never be used.");
        }

        var credited = await gateway.CreditAsync(customer, command.Amount, currency, command.Reason!, $"billing-credit-{command.UserId}-{command.RequestKey ?? command.Occurrence}", cancellationToken);
        if (!credited.IsSuccess)
        {
            return credited.Error!;
        }

        var now = clock.GetUtcNow();
        var transaction = credited.Value;
        account.NoteCustomerBalance(transaction.EndingBalance, transaction.Created);

        // Run again after a concurrent change, Stripe answers the same transaction: it is kept once.
        BalanceCredit? granted = null;
        if (!await ledger.HasAsync(transaction.Id, cancellationToken))
        {
            granted = BalanceCredit.Grant(command.UserId, transaction.Id, command.Amount, currency, command.Reason!, command.AdminId, now);
            ledger.Add(granted);
            history.Add(AccountHistoryEntry.Record(command.UserId, now, "balance_credited", $"{command.Amount} {currency.ToUpperInvariant()} credited to the customer's balance by {command.AdminId}: {command.Reason} ({transaction.Id})."));
        }

        // The credit just granted is saved with the change, after this answer is made.
        var credits = await ledger.ListAsync(command.UserId, 50, cancellationToken);
        return BalanceView.Of(account, granted is null ? credits : [granted, .. credits]);
    }
}
