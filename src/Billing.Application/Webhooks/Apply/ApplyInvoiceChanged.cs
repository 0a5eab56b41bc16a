using Billing.Application.Invoices;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Webhooks.Messages;
using Billing.Domain.Invoices;
using Mediator;

namespace Billing.Application.Webhooks.Apply;

/// <summary>
/// An invoice changed: it goes into the invoice book as its event carried it (it only ever moves forward there; an
/// event in another API version is read from Stripe instead), the account's latest invoice follows it, and the user
/// hears of a failed payment or one to authenticate while the invoice is still open. The subscription is never read:
/// its own events say how a payment moved it.
/// </summary>
public sealed class ApplyInvoiceChanged(InvoiceRecorder invoices, IInvoiceBook book, AccountNotices notices)
    : IRequestHandler<InvoiceChanged, Result<string>>
{
    public async ValueTask<Result<string>> Handle(InvoiceChanged message, CancellationToken cancellationToken)
    {
        var recorded = message.Invoice is { } facts
            ? Result<BillingInvoice>.Success(await invoices.RecordAsync(facts, cancellationToken))
            : await invoices.ReadAsync(message.InvoiceId, cancellationToken);
        if (!recorded.IsSuccess)
        {
            return recorded.Error!;
        }

        var invoice = recorded.Value;
        var done = $"Invoice {invoice.Id} recorded as {invoice.Status.Code()}.";
        if (message.SubscriptionId is null)
        {
            return done;
        }

        if (await notices.AccountOfAsync(message.CustomerId, message.UserId, cancellationToken) is not { } account)
        {
            return done + " No account is linked to its customer yet; the subscription's events will bring it.";
        }

        var latest = account.LatestInvoiceId is { } latestId && latestId != invoice.Id ? await book.FindAsync(latestId, cancellationToken) : null;
        account.NoteInvoice(invoice, latest?.Created, message.CreatedAt);
        if (message.Change == InvoiceChange.PaymentActionRequired)
        {
            // Which invoice awaits 3-D Secure is said only by this event.
            account.NoteAuthenticationRequired(invoice.Id);
        }

        var told = message.Change switch
        {
            InvoiceChange.PaymentActionRequired => account.NoteAuthenticationRequested(invoice.Id, message.EventId, message.CreatedAt),
            InvoiceChange.PaymentFailed => account.NotePaymentFailed(invoice.Id, message.EventId, message.CreatedAt),
            _ => false,
        };
        return told ? done + AccountNotices.Told : done;
    }
}
