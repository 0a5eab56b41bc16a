using Billing.Application.Common;
using Billing.Application.Invoices;
using Billing.Application.Common.Limits;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Organizations;
using Mediator;

namespace Billing.Application.Invoices.Backfill;

/// <summary>
/// Fills the invoice book with a customer's invoices from Stripe, once per account: invoices from before webhooks
/// reached this service (or from before it kept them). Later ones arrive by webhook.
/// </summary>
public sealed record BackfillInvoices(string UserId, OrganizationCaller? Organization = null) : ICommand<Result<int>>, ICallsStripeForUser, IActsForOrganization
{
    public bool ChangesBilling => true;
}

public sealed class BackfillInvoicesHandler(IBillingAccountRepository accounts, IInvoiceGateway gateway, InvoiceRecorder recorder, TimeProvider clock)
    : ICommandHandler<BackfillInvoices, Result<int>>
{
    public async ValueTask<Result<int>> Handle(BackfillInvoices command, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(command.UserId, cancellationToken);
        if (account?.StripeCustomerId is not { } customerId || account.InvoicesBackfilledAt is not null)
        {
            return 0;
        }

        var listed = await gateway.ListInvoicesAsync(customerId, cancellationToken);
        if (!listed.IsSuccess)
        {
            return listed.Error!;
        }

        foreach (var invoice in listed.Value)
        {
            await recorder.RecordAsync(invoice, cancellationToken);
        }

        account.MarkInvoicesBackfilled(clock.GetUtcNow());
        return listed.Value.Count;
    }
}
