using Billing.Api.Infrastructure;
using Billing.Application.Common.Results;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Api.Controllers;

/// <summary>Controllers only send commands and queries and translate their results.</summary>
[ApiController]
[ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status500InternalServerError, "application/problem+json")]
public abstract class BillingControllerBase(ISender sender) : ControllerBase
{
    private DateTimeOffset? _requestedAt;

    protected ISender Sender { get; } = sender;

    /// <summary>
    /// When this request came, read once from the service's clock: what Stripe is asked for is counted from it (a
    /// session's expiry), so a command run again after a concurrent change sends Stripe the same request under its key.
    /// </summary>
    protected DateTimeOffset RequestedAt => _requestedAt ??= HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    protected IActionResult From<T>(Result<T> result) =>
        result.IsSuccess ? Ok(result.Value) : result.Error!.ToActionResult(HttpContext);

    /// <summary>
    /// A page of an account's invoices. The first listing fills the invoice book from Stripe once: a command of its
    /// own, since a query never writes.
    /// </summary>
    protected async Task<IActionResult> InvoicePageAsync(Billing.Application.Invoices.List.ListInvoices query, CancellationToken cancellationToken)
    {
        var page = await Sender.Send(query, cancellationToken);
        if (page is { IsSuccess: true, Value.BookFilled: false })
        {
            var filled = await Sender.Send(new Billing.Application.Invoices.Backfill.BackfillInvoices(query.UserId, query.Organization), cancellationToken);
            page = filled.IsSuccess ? await Sender.Send(query, cancellationToken) : filled.Error!;
        }

        return From(page);
    }
}
