using Billing.Application.Common;
using Billing.Domain.Accounts;

namespace Billing.Application.Accounts;

/// <summary>
/// What the SPA should ask of the user: <c>authenticate_payment</c>, <c>pay_invoice</c> or
/// <c>update_payment_method</c>, the page where they do it, and when access is at stake if they do not.
/// </summary>
public sealed record PaymentActionView(string Kind, string Url, DateTimeOffset? DueAt)
{
    public static PaymentActionView? Of(PaymentAction? action, BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (action is null)
        {
            return null;
        }

        var kind = action.Kind switch
        {
            PaymentActionKind.AuthenticatePayment => "authenticate_payment",
            PaymentActionKind.PayInvoice => "pay_invoice",
            _ => "update_payment_method",
        };

        // A card is changed on the SPA's billing page, which opens a setup session (POST payment-methods/update):
        // a Stripe link made in advance would have expired by the time the user reads it.
        var url = action.Url ?? Urls.WithQuery(options.PortalReturnUrl, "action=update_payment_method");
        return new PaymentActionView(kind, url, action.DueAt);
    }
}
