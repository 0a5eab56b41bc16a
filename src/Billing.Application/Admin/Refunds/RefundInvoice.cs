using Billing.Domain.Common;
using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Invoices;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;
using Billing.Domain.Invoices;
using FluentValidation;
using Mediator;

namespace Billing.Application.Admin.Refunds;

/// <summary>
/// An admin refunds an invoice's payment, in full or in part, never more than what is left of it; optionally the
/// subscription ends at once too.
/// </summary>
public sealed record RefundInvoice(string? InvoiceId, long? Amount, string? Reason, bool CancelSubscription, string AdminId, string? RequestKey = null) : ICommand<Result<RefundView>>, Common.Audit.IAdminAction
{
    public string AuditTarget => $"invoice {InvoiceId}: {(Amount is { } amount ? amount.ToString(System.Globalization.CultureInfo.InvariantCulture) : "all")} ({Reason}){(CancelSubscription ? ", subscription ended" : string.Empty)}";
}

public sealed record RefundView(string RefundId, string InvoiceId, long Amount, string Currency, string Status, string Reason, bool SubscriptionCanceled, InvoiceView Invoice);

public sealed class RefundInvoiceValidator : AbstractValidator<RefundInvoice>
{
    /// <summary>Stripe's refund reasons.</summary>
    public static readonly IReadOnlySet<string> Reasons = new HashSet<string>(StringComparer.Ordinal) { "duplicate", "fraudulent", "requested_by_customer" };

    public RefundInvoiceValidator()
    {
        RuleFor(x => x.InvoiceId).NotEmpty().WithMessage("invoice_id is required.")
            .Matches(@"\Ain_[A-Za-z0-9]{1,250}\z").WithMessage("invoice_id must be an invoice id (in_…).").OverridePropertyName("invoice_id");
        RuleFor(x => x.Amount).GreaterThan(0).When(x => x.Amount is not null).WithMessage("amount must be a positive amount in minor units.").OverridePropertyName("amount");
        RuleFor(x => x.Reason).Must(r => r is not null && Reasons.Contains(r)).WithMessage("reason must be duplicate, fraudulent or requested_by_customer.").OverridePropertyName("reason");
    }
}

public sealed class RefundInvoiceHandler(
    IInvoiceBook book,
    InvoiceRecorder recorder,
    IBillingAccountRepository accounts,
    IInvoiceGateway gateway,
    ISubscriptionGateway subscriptions,
    SubscriptionTranslator translator,
    IAccountHistory history,
    TimeProvider clock) : ICommandHandler<RefundInvoice, Result<RefundView>>
{
    public async ValueTask<Result<RefundView>> Handle(RefundInvoice command, CancellationToken cancellationToken)
    {
        var invoiceId = command.InvoiceId!;
        var invoice = await book.FindAsync(invoiceId, cancellationToken);
        if (invoice is null)
        {
            var fetched = await gateway.GetInvoiceAsync(invoiceId, cancellationToken);
            if (!fetched.IsSuccess)
            {
                return fetched.Error!.Kind == ErrorKind.NotFound || fetched.Error.Code == "stripe_resource_missing"
                    ? Error.NotFound("invoice_not_found", $"There is no invoice {invoiceId}.")
                    : fetched.Error;
            }

            invoice = await recorder.RecordAsync(fetched.Value, cancellationToken);
        }

        // The key is the request itself, never what is left to refund: a retry, or this command run again after a
        // concurrent change (the refund's own webhook, often), never refunds twice (send an Idempotency-Key for two
        // equal refunds).
        var key = $"billing-refund-{invoice.Id}-{(command.Amount is { } asked ? asked.ToString(System.Globalization.CultureInfo.InvariantCulture) : "rest")}-{command.Reason}-{command.RequestKey ?? "unkeyed"}";
        var refund = await RefundAsync(invoice, command.Amount, command.Reason!, key, cancellationToken);
        if (!refund.IsSuccess)
        {
            return refund.Error!;
        }

        await recorder.RecordRefundAsync(invoice, refund.Value, cancellationToken);
        var now = clock.GetUtcNow();
        var account = await accounts.FindByStripeCustomerAsync(invoice.CustomerId, cancellationToken);
        // Ended already when this runs again after the subscription's own webhook was recorded first: the request's
        // end of it happened, and the answer says so.
        var canceled = command.CancelSubscription && account is { HasLiveSubscription: false } && account.StripeSubscriptionId == invoice.SubscriptionId && invoice.SubscriptionId is not null;
        if (command.CancelSubscription && account is { HasLiveSubscription: true } && account.StripeSubscriptionId == invoice.SubscriptionId)
        {
            var ended = await subscriptions.CancelSubscriptionAsync(account.StripeSubscriptionId!, atPeriodEnd: false, $"billing-refund-cancel-{refund.Value.Id}", cancellationToken);
            if (!ended.IsSuccess)
            {
                return ended.Error!;
            }

            if (translator.Translate(ended.Value) is { IsSuccess: true } snapshot)
            {
                account.ApplyAnswer(snapshot.Value, ended.Value.ObservedAt ?? now);
            }

            canceled = true;
        }

        if (account is not null)
        {
            history.Add(AccountHistoryEntry.Record(account.UserId, now, "refund", $"{refund.Value.Amount} {invoice.Currency} of invoice {invoice.Id} refunded ({command.Reason}) by {command.AdminId} as {refund.Value.Id}{(canceled ? "; the subscription was ended at once" : string.Empty)}."));
        }

        return new RefundView(refund.Value.Id, invoice.Id, refund.Value.Amount, invoice.Currency, refund.Value.Status.Code(), command.Reason!, canceled, InvoiceView.Of(invoice));
    }

    /// <summary>
    /// Refunds what the request asks when the store says it is there; when the store says it is not, the request's
    /// refund may have been made already (a retry, or a run again after the refund's webhook was recorded first), and
    /// then that refund is the answer.
    /// </summary>
    private async Task<Result<GatewayRefund>> RefundAsync(BillingInvoice invoice, long? asked, string reason, string key, CancellationToken cancellationToken)
    {
        var left = invoice.Status == Billing.Domain.Invoices.InvoiceStatus.Paid ? invoice.Refundable : 0;
        if (left > 0 && (asked ?? left) <= left)
        {
            // "The rest" goes to Stripe as no amount: the same request is the same parameters, however the store moved.
            return await gateway.RefundInvoiceAsync(invoice.Id, asked, reason, key, cancellationToken);
        }

        if (invoice.PaymentIntentId is not null && invoice.AmountRefunded > 0)
        {
            var made = await gateway.ListRefundsAsync(invoice.PaymentIntentId, cancellationToken);
            if (!made.IsSuccess)
            {
                return made.Error!;
            }

            if (made.Value.FirstOrDefault(r => r.RequestKey == key) is { } earlier)
            {
                return earlier;
            }
        }

        return left == 0
            ? Error.Conflict("nothing_to_refund", $"Invoice {invoice.Id} is {invoice.Status.Code()} with {invoice.Refundable} {invoice.Currency} left to refund.")
            : Error.Invalid("amount", "refund_exceeds_payment", $"Only {invoice.Refundable} {invoice.Currency} of invoice {invoice.Id} is left to refund ({invoice.AmountPaid} paid, {invoice.AmountRefunded} refunded).");
    }
}
