using Billing.Application.Common.Audit;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using FluentValidation;
using Mediator;

namespace Billing.Application.Admin.Erase;

/// <summary>
/// Erases a user's personal data here (a data subject's request): the e-mail on the account, the bodies of the
/// messages sent to Keycloak, Lago and the mail server, remembered answers to their requests, and any personal data
/// left in stored Stripe events. Amounts and ids the law requires for accounting are kept, and the answer says
/// which. Stripe, Keycloak and Lago keep their own copies: erase there too.
/// </summary>
public sealed record EraseAccount(string UserId, string AdminId) : ICommand<Result<ErasureReport>>, IAdminAction
{
    public string AuditTarget => $"account {UserId}";
}

public sealed record ErasureReport(string UserId, IReadOnlyList<string> Erased, IReadOnlyList<string> Kept);

public sealed class EraseAccountValidator : AbstractValidator<EraseAccount>
{
    public EraseAccountValidator() => RuleFor(x => x.UserId).NotEmpty().MaximumLength(128).OverridePropertyName("user_id");
}

public sealed class EraseAccountHandler(IBillingAccountRepository accounts, IPersonalDataEraser eraser) : ICommandHandler<EraseAccount, Result<ErasureReport>>
{
    /// <summary>What stays, and why: bookkeeping law keeps invoices and payments for years (ten in Germany, six in the UK).</summary>
    private static readonly string[] Kept =
    [
        "the account's ids (user, Stripe customer and subscription), tier, status and amounts: the accounting record of what was sold",
        "invoices, refunds and disputes (ids, amounts, currency, dates): accounting records the law requires",
        "revenue movements and usage events (user id, amounts, metric codes): what was billed",
        "the account history and the audit trail (what was done, by which administrator)",
    ];

    public async ValueTask<Result<ErasureReport>> Handle(EraseAccount command, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(command.UserId, cancellationToken);
        if (account is null)
        {
            return Error.NotFound("account_not_found", $"No account for user {command.UserId}.");
        }

        var erased = new List<string>();
        if (account.ErasePersonalData())
        {
            erased.Add("the account's e-mail address");
        }

        erased.AddRange(await eraser.EraseAsync(command.UserId, account.StripeCustomerId ?? account.DeletedStripeCustomerId, cancellationToken));
        return new ErasureReport(command.UserId, erased, Kept);
    }
}
