using Billing.Domain.Common;
using Billing.Application.Common;
using Billing.Application.Invoices;
using Billing.Application.Notifications;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Accounts;
using Billing.Domain.Disputes;
using Billing.Domain.Invoices;
using Microsoft.Extensions.Logging;
using Mediator;
using Microsoft.Extensions.Options;

namespace Billing.Application.Webhooks.Apply;

/// <summary>
/// Keeps disputes from <c>charge.dispute.*</c>: matched to the account through the disputed payment's invoice,
/// recorded on the account (whose access may depend on it), told to the operator when one opens (the account records it;
/// <c>AccountSync/SyncPlan</c> writes the e-mail).
/// </summary>
public sealed class ApplyDisputeChanged(
    InvoiceRecorder invoices,
    IBillingAccountRepository accounts,
    IDisputeBook disputes,
    IAccountHistory history,
    TimeProvider clock,
    ILogger<ApplyDisputeChanged> logger) : IRequestHandler<DisputeChanged, Result<string>>
{
    public async ValueTask<Result<string>> Handle(DisputeChanged facts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Dispute is not { } reported || (reported.PaymentIntentId is null && reported.ChargeId is null))
        {
            return $"Dispute event {facts.EventId} for {facts.ObjectId} names no payment; nothing to record.";
        }

        var located = await invoices.InvoiceOfPaymentOrChargeAsync(reported.PaymentIntentId, reported.ChargeId, cancellationToken);
        if (!located.IsSuccess)
        {
            return located.Error!;
        }

        var (invoice, customer) = located.Value;
        if (customer is null || await accounts.FindByStripeCustomerAsync(customer, cancellationToken) is not { } account)
        {
            return $"Dispute {reported.Id} is of a payment of no account here; nothing to record.";
        }

        var now = clock.GetUtcNow();
        var dispute = await disputes.FindAsync(reported.Id, cancellationToken);
        var opened = dispute is null;
        if (dispute is null)
        {
            dispute = PaymentDispute.Open(reported, account.UserId, invoice?.Id);
            disputes.Add(dispute);
        }
        else
        {
            dispute.Apply(reported, now);
        }

        var against = (await disputes.ForUserAsync(account.UserId, cancellationToken)).Append(dispute).DistinctBy(d => d.Id).Any(d => d.AgainstUs);
        account.MarkDisputed(against, now);
        var detail = $"Dispute {dispute.Id} of {dispute.Amount} {dispute.Currency} {(invoice is null ? $"on charge {reported.ChargeId} of no invoice here" : $"on invoice {invoice.Id}")} ({dispute.Reason ?? "no reason given"}) is {dispute.Status.Code()}" +
            (dispute.DueBy is { } due && dispute.IsOpen ? $"; evidence is due by {due:u}." : ".");
        history.Add(AccountHistoryEntry.Record(account.UserId, now, opened ? "dispute_opened" : "dispute_" + dispute.Status.Code(), detail));
        if (opened)
        {
            logger.LogWarning("Account {UserId}: {Detail}", account.UserId, detail);
            account.NoteDisputeFiled(dispute.Id, invoice?.Id, now);
        }

        return detail;
    }
}
