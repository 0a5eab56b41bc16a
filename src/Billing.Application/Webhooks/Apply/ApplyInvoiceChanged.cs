using Billing.Application.Accounts;
using Billing.Application.Invoices;
using Billing.Application.Notifications;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Invoices;
using Mediator;

namespace Billing.Application.Webhooks.Apply;

/// <summary>
/// An invoice changed: it goes into the invoice book as reported (it only ever moves forward there). A payment that
/// went through, failed or needs the customer also brings the subscription's state from Stripe, and the user hears of
/// a failed payment or one to authenticate while the invoice is still open.
/// </summary>
public sealed class ApplyInvoiceChanged(InvoiceRecorder invoices, StripeSubscriptionApplier subscriptions, AccountNotices notices)
    : IRequestHandler<InvoiceChanged, Result<string>>
{
    public async ValueTask<Result<string>> Handle(InvoiceChanged message, CancellationToken cancellationToken)
    {
        if (message.Invoice is { } invoice)
        {
            await invoices.RecordAsync(invoice, cancellationToken);
            if (message.BookOnly)
            {
                return $"Invoice {invoice.Id} recorded as {invoice.Status.Code()}.";
            }
        }

        if (message.SubscriptionId is null || message.BookOnly)
        {
            return $"Invoice {message.InvoiceId} ({message.Change}) concerns no subscription; nothing to apply.";
        }

        // Which invoice awaits 3-D Secure is said only by this event.
        var authentication = message.Change == InvoiceChange.PaymentActionRequired ? message.InvoiceId : null;
        var applied = await subscriptions.ApplyReportedAsync(message.SubscriptionId, message.CustomerId, message.CreatedAt, message.UserId, message.CustomerEmail, authentication, cancellationToken);
        if (!applied.IsSuccess)
        {
            return applied;
        }

        var told = await notices.TellAsync(message.CustomerId, message.UserId, account => message.Change switch
        {
            InvoiceChange.PaymentActionRequired => account.NoteAuthenticationRequested(message.InvoiceId, message.EventId, message.CreatedAt),
            InvoiceChange.PaymentFailed => account.NotePaymentFailed(message.InvoiceId, message.EventId, message.CreatedAt),
            _ => false,
        }, cancellationToken);
        return told ? applied.Value + AccountNotices.Told : applied;
    }
}
